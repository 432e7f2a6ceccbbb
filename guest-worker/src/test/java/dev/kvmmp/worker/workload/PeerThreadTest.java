package dev.kvmmp.worker.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvmmp.worker.placement.PinnedThread;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A peer on a real thread; the exchange is a latch that closing releases. */
class PeerThreadTest {

  private final CountDownLatch exchange = new CountDownLatch(1);
  private final List<Integer> tids = Collections.synchronizedList(new ArrayList<>());

  @Test
  void servesOnANamedThreadOfItsOwnUntilTheExchangeCloses() throws Exception {
    PeerThread peer = start("kind-peer-r1", this::awaitClose);

    String result = peer.measureAgainst(() -> "measured", "kind");

    assertThat(result).isEqualTo("measured");
    assertThat(tids).hasSize(1).doesNotContain(PinnedThread.currentTid());
    assertThat(peer.stayedPinned()).isTrue();
    assertThat(liveThreadsNamed("kind-peer-r1")).isEmpty();
  }

  @Test
  void thePeersFailureIsReportedInPlaceOfWhatTheClientSaw() {
    PeerThread peer = start("kind-peer-r2", () -> {
      throw new IOException("peer broke");
    });

    assertThatThrownBy(() -> peer.measureAgainst(() -> {
      awaitClose();
      throw new IOException("the peer went away");
    }, "kind"))
        .isInstanceOf(IOException.class)
        .hasMessage("peer broke");
  }

  @Test
  void aPeerThatCannotBePlacedFailsNamingItsRole() {
    PeerThread peer = PeerThread.start("kind-peer-r3", "peer", () -> {
      throw new IllegalStateException("sched_setaffinity: EINVAL");
    }, tids::add, exchange::countDown, this::awaitClose, Duration.ofSeconds(1));

    assertThatThrownBy(() -> peer.measureAgainst(() -> {
      awaitClose();
      throw new IOException("the peer went away");
    }, "kind"))
        .isInstanceOf(IOException.class)
        .hasMessage("peer thread failed: sched_setaffinity: EINVAL");
    assertThat(tids).isEmpty();
  }

  @Test
  void aPeerThatDoesNotStopFailsTheRunNamingItsRole() {
    CountDownLatch release = new CountDownLatch(1);
    PeerThread peer = start("kind-peer-r4", () -> await(release));
    try {
      assertThatThrownBy(() -> peer.measureAgainst(() -> "measured", "kind"))
          .isInstanceOf(WorkloadException.class)
          .hasMessage("kind: the peer thread did not stop within 1 s");
    } finally {
      release.countDown();
    }
  }

  private PeerThread start(String name, PeerThread.Serving serving) {
    return PeerThread.start(name, "peer", () -> PinnedThread.NONE, tids::add,
        exchange::countDown, serving, Duration.ofSeconds(1));
  }

  private void awaitClose() throws IOException {
    await(exchange);
  }

  private static void await(CountDownLatch latch) throws IOException {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IOException("not released within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static List<Thread> liveThreadsNamed(String name) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals(name) && t.isAlive())
        .toList();
  }
}

package dev.kvmmp.worker.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvmmp.proto.v1.WindowEdge;
import dev.kvmmp.proto.v1.WindowEdge.Edge;
import dev.kvmmp.proto.v1.WindowGo;
import dev.kvmmp.proto.v1.WorkerMessage;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The gate on its own: the edge is announced, and the wait ends on the right WindowGo only. */
class WindowGateTest {

  private final BlockingQueue<WorkerMessage> sent = new LinkedBlockingQueue<>();

  private WindowEdge announced() throws InterruptedException {
    WorkerMessage message = sent.poll(5, TimeUnit.SECONDS);
    assertThat(message).as("an edge announced").isNotNull();
    return message.getWindowEdge();
  }

  private static WindowGo go(String runId, int attempt, Edge edge, String error) {
    return WindowGo.newBuilder().setRunId(runId).setAttempt(attempt).setEdge(edge)
        .setSnapshotError(error).build();
  }

  @Test
  void aFailedSnapshotLetsTheRunGoOnAndIsNoted() throws Exception {
    WindowGate gate = new WindowGate("r1", 2, sent::add, Duration.ofSeconds(10));
    CompletableFuture<Void> opening = CompletableFuture.runAsync(gate::windowOpens);

    assertThat(announced().getEdge()).isEqualTo(Edge.EDGE_OPENING);
    gate.go(go("r1", 2, Edge.EDGE_OPENING, "vm 6f1c0d2e is not on host-a"));
    opening.get(5, TimeUnit.SECONDS);

    assertThat(gate.notes()).containsExactly("the window's opening was not bracketed by a host "
        + "snapshot: the host snapshot failed: vm 6f1c0d2e is not on host-a");
  }

  @Test
  void aWindowGoForAnotherAttemptOrEdgeDoesNotOpenTheGate() throws Exception {
    WindowGate gate = new WindowGate("r1", 2, sent::add, Duration.ofMillis(400));
    CompletableFuture<Void> closing = CompletableFuture.runAsync(gate::windowClosed);

    assertThat(announced().getEdge()).isEqualTo(Edge.EDGE_CLOSED);
    gate.go(go("r1", 1, Edge.EDGE_CLOSED, ""));
    gate.go(go("r1", 2, Edge.EDGE_OPENING, ""));
    closing.get(5, TimeUnit.SECONDS);

    assertThat(gate.notes()).containsExactly("the window's close was not bracketed by a host "
        + "snapshot: no WindowGo from the coordinator within 400 ms");
  }

  @Test
  void cancellingEndsTheWaitAtOnce() throws Exception {
    WindowGate gate = new WindowGate("r1", 1, sent::add, Duration.ofSeconds(60));
    CompletableFuture<Void> opening = CompletableFuture.runAsync(gate::windowOpens);
    announced();

    long cancelled = System.nanoTime();
    gate.cancel();
    opening.get(5, TimeUnit.SECONDS);

    assertThat(Duration.ofNanos(System.nanoTime() - cancelled)).isLessThan(Duration.ofSeconds(1));
  }

  @Test
  void theEdgeAwaitedIsThereToAnnounceAgainUntilItsWindowGoArrives() throws Exception {
    WindowGate gate = new WindowGate("r1", 1, sent::add, Duration.ofSeconds(10));
    assertThat(gate.pendingEdge()).isEmpty();
    CompletableFuture<Void> opening = CompletableFuture.runAsync(gate::windowOpens);
    WindowEdge edge = announced();

    assertThat(gate.pendingEdge()).map(WorkerMessage::getWindowEdge).contains(edge);
    gate.go(go("r1", 1, Edge.EDGE_OPENING, ""));
    opening.get(5, TimeUnit.SECONDS);
    assertThat(gate.pendingEdge()).isEmpty();
    assertThat(gate.notes()).isEmpty();
  }
}

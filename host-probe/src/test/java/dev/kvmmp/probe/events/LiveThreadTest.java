package dev.kvmmp.probe.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Against this JVM's own threads under the real /proc. */
class LiveThreadTest {

  private static final Path PROC = Path.of("/proc");

  @Test
  void aThreadIsAliveUntilItExits() throws Exception {
    int[] tid = {0};
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch stop = new CountDownLatch(1);
    Thread thread = new Thread(() -> {
      try {
        tid[0] = Integer.parseInt(Files.readSymbolicLink(Path.of("/proc/thread-self"))
            .getFileName().toString());
        started.countDown();
        stop.await();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    thread.start();
    started.await();

    try (LiveThread live = LiveThread.open(PROC, tid[0])) {
      assertThat(live.alive()).isTrue();
      assertThat(live.alive()).as("checked again, from the same open file").isTrue();
      stop.countDown();
      thread.join();

      // join() returns once Java is done with the thread; the kernel's thread ends just after.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (live.alive() && System.nanoTime() < deadline) {
        Thread.sleep(1);
      }
      assertThat(live.alive()).isFalse();
    }
  }

  @Test
  void refusesAThreadThatDoesNotExist() {
    assertThatThrownBy(() -> LiveThread.open(PROC, Integer.MAX_VALUE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("vCPU thread 2147483647: no such thread (cannot open "
            + "/proc/2147483647/comm");
  }
}

package dev.kvmmp.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** Real counters of this machine's kernel (the tests run as root, as the worker does). */
class PerfEventsTest {

  @Test
  void countsTheContextSwitchesOfACpu() throws Exception {
    int fd = PerfEvents.openOnCpu(PerfEvents.TYPE_SOFTWARE, PerfEvents.SW_CONTEXT_SWITCHES, 0,
        null);
    try {
      long before = PerfEvents.read(fd);
      Thread sleeper = new Thread(() -> {
        for (int i = 0; i < 20; i++) {
          LockSupport.parkNanos(1_000_000);
        }
      });
      sleeper.start();
      sleeper.join();
      // Whatever ran on vCPU 0 meanwhile, the kernel switched there at least once.
      assertThat(PerfEvents.read(fd)).isGreaterThan(before);
    } finally {
      PerfEvents.close(fd);
    }
  }

  @Test
  void refusesATaskThatDoesNotExistNamingTheCallAndErrno() {
    assertThatThrownBy(() -> PerfEvents.openForTask(PerfEvents.TYPE_SOFTWARE,
        PerfEvents.SW_CONTEXT_SWITCHES, Integer.MAX_VALUE, null))
        .isInstanceOf(PerfException.class)
        .hasMessage("perf_event_open(type 1, config 3, task 2147483647) failed: errno 3 (ESRCH: "
            + "no such task)");
  }
}

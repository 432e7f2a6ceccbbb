package dev.kvmmp.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
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
  void readsEveryCounterOfATaskGroupInOneRead() throws Exception {
    int tid = Integer.parseInt(Files.readSymbolicLink(Path.of("/proc/thread-self"))
        .getFileName().toString());
    int leader = PerfEvents.openGroupForTask(tid);
    int first = PerfEvents.openForTask(PerfEvents.TYPE_SOFTWARE,
        PerfEvents.SW_CONTEXT_SWITCHES, tid, null, leader);
    int second = PerfEvents.openForTask(PerfEvents.TYPE_SOFTWARE,
        PerfEvents.SW_CONTEXT_SWITCHES, tid, null, leader);
    try {
      for (int i = 0; i < 20; i++) {
        LockSupport.parkNanos(1_000_000);
      }
      long[] values = new long[4];

      assertThat(PerfEvents.readGroup(leader, values)).isEqualTo(3);
      assertThat(values[0]).as("the dummy leader counts nothing").isZero();
      // This thread slept 20 times: each member counted its switches (the first from earlier).
      assertThat(values[2]).isGreaterThanOrEqualTo(20);
      assertThat(values[1]).isGreaterThanOrEqualTo(values[2]);
      assertThatThrownBy(() -> PerfEvents.readGroup(leader, new long[2]))
          .isInstanceOf(PerfException.class)
          .hasMessageContaining("ENOSPC: the group has more than 2 counters");
    } finally {
      PerfEvents.close(second);
      PerfEvents.close(first);
      PerfEvents.close(leader);
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

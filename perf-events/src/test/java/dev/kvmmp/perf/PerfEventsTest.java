package dev.kvmmp.perf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.jna.Library;
import com.sun.jna.Native;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** Real counters of this machine's kernel (the tests run as root, as the worker does). */
class PerfEventsTest {

  private interface Libc extends Library {
    Libc INSTANCE = Native.load("c", Libc.class);

    int sched_setaffinity(int pid, long cpusetsize, long[] mask);
  }

  @Test
  void countsTheContextSwitchesOfACpu() throws Exception {
    int fd = PerfEvents.openOnCpu(PerfEvents.TYPE_SOFTWARE, PerfEvents.SW_CONTEXT_SWITCHES, 0,
        null);
    try {
      long before = PerfEvents.read(fd);
      // On vCPU 0 itself: an unpinned sleeper may run on the other vCPU while vCPU 0 idles
      // tickless for the whole 20 ms, switching nothing (it did so once in CI).
      AtomicInteger pinned = new AtomicInteger(-1);
      Thread sleeper = new Thread(() -> {
        pinned.set(Libc.INSTANCE.sched_setaffinity(0, Long.BYTES, new long[] {1L}));
        for (int i = 0; i < 20; i++) {
          LockSupport.parkNanos(1_000_000);
        }
      });
      sleeper.start();
      sleeper.join();

      assertThat(pinned).as("sched_setaffinity(0, {cpu 0})").hasValue(0);
      // The sleeper went to sleep on vCPU 0 twenty times: each was a switch there.
      assertThat(PerfEvents.read(fd) - before).isGreaterThanOrEqualTo(20);
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

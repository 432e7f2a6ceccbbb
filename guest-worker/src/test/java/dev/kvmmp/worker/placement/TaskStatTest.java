package dev.kvmmp.worker.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TaskStatTest {

  // Captured from this machine (a java thread), with a command name holding a space and a ')'.
  private static final String STAT = "4242 (tcp_rr) server) S 4200 4200 4100 0 -1 1077936192 "
      + "120 0 0 0 3 5 0 0 20 0 25 0 98765 4294967296 1234 18446744073709551615 1 1 0 0 0 0 "
      + "0 4096 17663 0 0 0 -1 1 0 0 0 0 0 0 0 0 0 0 0 0 0";

  @Test
  void readsTheLastCpuAfterACommandNameWithSpacesAndParentheses() {
    assertThat(TaskStat.processor(STAT)).isEqualTo(1);
  }

  @Test
  void readsTheRealStatOfThisThread() {
    int cpu = PinnedThread.lastCpuOf(PinnedThread.currentTid());

    assertThat(cpu).isBetween(0, Runtime.getRuntime().availableProcessors() - 1);
  }

  @Test
  void refusesATruncatedLine() {
    assertThatThrownBy(() -> TaskStat.processor("1 (x) S 0 0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("stat line has 5 fields, field 39 is missing");
  }
}

package dev.kvmmp.worker.workload.wakeup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LongSummaryStatistics;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class DelayScheduleTest {

  @Test
  void delaysSpanTheRangeUniformlyAndRepeatFromRunToRun() {
    DelaySchedule first = DelaySchedule.uniform(micros(50), micros(500));
    DelaySchedule second = DelaySchedule.uniform(micros(50), micros(500));

    long[] delays = LongStream.range(0, DelaySchedule.LENGTH).map(i -> first.nextNanos())
        .toArray();
    LongSummaryStatistics stats = LongStream.of(delays).summaryStatistics();

    assertThat(stats.getMin()).isGreaterThanOrEqualTo(50_000L).isLessThan(51_000L);
    assertThat(stats.getMax()).isLessThanOrEqualTo(500_000L).isGreaterThan(499_000L);
    assertThat(stats.getAverage()).isBetween(265_000.0, 285_000.0);
    assertThat(LongStream.range(0, DelaySchedule.LENGTH).map(i -> second.nextNanos()).toArray())
        .containsExactly(delays);
    assertThat(first.nextNanos()).as("starts over").isEqualTo(delays[0]);
  }

  @Test
  void equalBoundsGiveAFixedDelay() {
    DelaySchedule fixed = DelaySchedule.uniform(micros(200), micros(200));

    assertThat(LongStream.range(0, 100).map(i -> fixed.nextNanos())).containsOnly(200_000L);
  }

  @Test
  void rejectsAMaximumBelowTheMinimum() {
    assertThatThrownBy(() -> DelaySchedule.uniform(micros(500), micros(50)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("min_delay <= max_delay");
  }

  private static Duration micros(long micros) {
    return Duration.ofNanos(micros * 1_000);
  }
}

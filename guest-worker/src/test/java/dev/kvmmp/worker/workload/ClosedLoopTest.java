package dev.kvmmp.worker.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class ClosedLoopTest {

  @Test
  void recordsEveryMeasuredRoundTripAndNoWarmupOne() throws Exception {
    AtomicLong calls = new AtomicLong();
    RunControl control = new RunControl();

    ClosedLoop.Measurement m = ClosedLoop.run(calls::incrementAndGet, Duration.ofMillis(20),
        Duration.ofMillis(50), control);

    assertThat(m.histogram().getTotalCount()).isEqualTo(m.transactions());
    assertThat(m.transactions() + m.warmupTransactions()).isEqualTo(calls.get());
    assertThat(m.warmupTransactions()).isPositive();
    assertThat(control.phase()).isEqualTo("measure");
    assertThat(control.transactions()).isEqualTo(m.transactions());
  }

  @Test
  void latenciesAddUpToTheWindowSoThroughputIsTheInverseOfTheMean() throws Exception {
    ClosedLoop.Measurement m = ClosedLoop.run(() -> LockSupport.parkNanos(20_000),
        Duration.ZERO, Duration.ofMillis(100), new RunControl());

    // Each round trip starts where the previous ended, so only histogram rounding (3
    // significant digits: 0.1%) separates the sum of latencies from the window.
    double sumOfLatencies = m.histogram().getMean() * m.transactions();
    assertThat(sumOfLatencies / m.windowNanos()).isBetween(0.998, 1.002);
    assertThat(m.windowNanos()).isGreaterThanOrEqualTo(100_000_000L);
  }

  @Test
  void stopsWhenCancelled() {
    RunControl control = new RunControl();
    control.cancel();

    assertThatThrownBy(() -> ClosedLoop.run(() -> { }, Duration.ZERO, Duration.ofHours(1),
        control))
        .isInstanceOf(WorkloadException.class)
        .hasMessage("cancelled");
  }
}

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

    ClosedLoop.Measurement m = ClosedLoop.run((RoundTrip) calls::incrementAndGet,
        Window.timed(Duration.ofMillis(20), Duration.ofMillis(50)), control, WindowObserver.NONE);

    assertThat(m.histogram().getTotalCount()).isEqualTo(m.transactions());
    assertThat(m.transactions() + m.warmupTransactions()).isEqualTo(calls.get());
    assertThat(m.warmupTransactions()).isPositive();
    assertThat(control.phase()).isEqualTo("measure");
    assertThat(control.transactions()).isEqualTo(m.transactions());
  }

  @Test
  void latenciesAddUpToTheWindowSoThroughputIsTheInverseOfTheMean() throws Exception {
    ClosedLoop.Measurement m = ClosedLoop.run((RoundTrip) () -> LockSupport.parkNanos(20_000),
        Window.timed(Duration.ZERO, Duration.ofMillis(100)), new RunControl(),
        WindowObserver.NONE);

    // Each round trip starts where the previous ended, so only histogram rounding (3
    // significant digits: 0.1%) separates the sum of latencies from the window.
    double sumOfLatencies = m.histogram().getMean() * m.transactions();
    assertThat(sumOfLatencies / m.windowNanos()).isBetween(0.998, 1.002);
    assertThat(m.windowNanos()).isGreaterThanOrEqualTo(100_000_000L);
  }

  @Test
  void aCountedWindowEndsAfterExactlyThatManyTransactions() throws Exception {
    ClosedLoop.Measurement m = ClosedLoop.run((RoundTrip) () -> { },
        new Window(Duration.ZERO, Window.COUNTED_WINDOW_LIMIT, 12_345), new RunControl(),
        WindowObserver.NONE);

    assertThat(m.transactions()).isEqualTo(12_345);
    assertThat(m.histogram().getTotalCount()).isEqualTo(12_345);
  }

  @Test
  void selfTimedTransactionsRecordTheLatencyTheyReport() throws Exception {
    ClosedLoop.Measurement m = ClosedLoop.run((SelfTimed) () -> 7_000,
        new Window(Duration.ZERO, Window.COUNTED_WINDOW_LIMIT, 1_000), new RunControl(),
        WindowObserver.NONE);

    assertThat(m.histogram().getTotalCount()).isEqualTo(1_000);
    assertThat(m.histogram().getValueAtPercentile(50)).isBetween(6_990L, 7_010L);
  }

  @Test
  void tellsTheObserverWhenTheWindowOpensAndClosesAroundTheMeasuredPart() throws Exception {
    AtomicLong calls = new AtomicLong();
    long[] seen = new long[2];
    WindowObserver observer = new WindowObserver() {
      @Override
      public void windowOpens() {
        seen[0] = calls.get();
      }

      @Override
      public void windowClosed() {
        seen[1] = calls.get();
      }
    };

    ClosedLoop.Measurement m = ClosedLoop.run((RoundTrip) calls::incrementAndGet,
        new Window(Duration.ofMillis(10), Window.COUNTED_WINDOW_LIMIT, 500), new RunControl(),
        observer);

    assertThat(seen[0]).isEqualTo(m.warmupTransactions());
    assertThat(seen[1] - seen[0]).isEqualTo(500);
  }

  @Test
  void stopsWhenCancelled() {
    RunControl control = new RunControl();
    control.cancel();

    assertThatThrownBy(() -> ClosedLoop.run((RoundTrip) () -> { },
        Window.timed(Duration.ZERO, Duration.ofHours(1)), control, WindowObserver.NONE))
        .isInstanceOf(WorkloadException.class)
        .hasMessage("cancelled");
  }

  @Test
  void aCancelMidWindowEndsSlowTransactionsWithinAFewOfThem() {
    RunControl control = new RunControl();
    AtomicLong calls = new AtomicLong();
    RoundTrip slow = () -> {
      if (calls.incrementAndGet() == 20) {
        control.cancel();
      }
      LockSupport.parkNanos(2_000_000);
    };

    assertThatThrownBy(() -> ClosedLoop.run(slow, Window.timed(Duration.ZERO,
        Duration.ofHours(1)), control, WindowObserver.NONE))
        .isInstanceOf(WorkloadException.class)
        .hasMessage("cancelled");
    // Checked every 10 ms: a few 2 ms transactions after the cancel, not a count of them.
    assertThat(calls.get()).isBetween(20L, 40L);
  }
}

package dev.kvmmp.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvmmp.cli.bench.AggregatorBenchReport.Cpu;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class AggregatorBenchTableTest {

  private static final AggregatorBenchSetup SETUP = new AggregatorBenchSetup(1_000, 20, 10, 5, 3);
  private static final long WINDOW = 10_000_000_000L;

  @Test
  void printsRatesLagsAndCostsAndMeetsTheGoalWhenItKeepsUp() {
    String table = print(report(10_200, 10_150, 40, 0, 1_000_000_000L, 50));

    assertThat(table)
        .contains("1000 hosts x 20 VMs at 1 Hz + 5 bracketed runs/s for 10 s (after 3 s of "
            + "warm-up)")
        .containsPattern("(?m)^input target +1020 *$")
        .containsPattern("(?m)^input achieved +1020 +7\\.1$")
        .containsPattern("(?m)^aggregator processed +1015 *$")
        .contains("40 records (0.0 s) at the end, peak 40 (0.0 s); caught up 0.5 s after")
        .contains("50 of 50 runs reported; p50 0.30 s, p99 1.00 s, max 1.00 s")
        .containsPattern("(?m)^aggregator CPU +5\\.0 s in 10\\.0 s = 0\\.50 cores$")
        .contains("peak RSS                     aggregator 300 MiB, broker 400 MiB")
        .contains("at 1000 hosts x 20 VMs: met (input at the target rate, consumer keeps up, "
            + "p99 1.00 s).");
  }

  @Test
  void namesTheAggregatorAsTheLimitWhenTheInputIsMetButTheConsumerFallsBehind() {
    AggregatorBenchReport report = report(10_200, 6_000, 4_200, -1, 3_000_000_000L, 45);

    String verdict = AggregatorBenchTable.verdict(report);

    assertThat(AggregatorBenchTable.met(report)).isFalse();
    assertThat(verdict)
        .contains(": NOT met (input at the target rate, consumer falls behind, p99 3.00 s, not "
            + "every run reported).")
        .contains("Limit: the aggregator consumes 600 of 1020 records/s; ")
        .contains("(aggregator 0.50, broker 0.40, generator 0.30)");
  }

  @Test
  void namesThePeakLagAsTheLimitWhenTheConsumerKeepsUpButTheP99DoesNot() {
    String verdict = AggregatorBenchTable.verdict(report(10_200, 10_200, 0, 0, 3_000_000_000L,
        50));

    assertThat(verdict).contains("NOT met (input at the target rate, consumer keeps up, p99 "
            + "3.00 s)")
        .contains("Limit: the aggregator keeps up on average but not at every moment");
  }

  @Test
  void namesThePublishingSideAsTheLimitWhenTheInputFallsShort() {
    String verdict = AggregatorBenchTable.verdict(report(5_000, 5_000, 0, 0, 100_000_000L, 50));

    assertThat(verdict).contains("input below the target rate")
        .contains("Limit: the generator and broker could not publish the target rate");
  }

  @Test
  void printsDashesWhenNoReportArrived() {
    String table = print(report(10_200, 10_200, 0, -1, 0, 0));

    assertThat(table).contains("0 of 50 runs reported; p50 -, p99 -, max -")
        .contains("NOT caught up 60 s after the input stopped");
  }

  private static AggregatorBenchReport report(long sent, long processed, long lagAtEnd,
      long drainNanos, long lagNanos, int reported) {
    Histogram lags = new Histogram(3_600_000_000_000L, 3);
    for (int i = 0; i < reported; i++) {
      lags.recordValue(i < reported / 2 ? 300_000_000L : lagNanos);
    }
    return new AggregatorBenchReport(SETUP, WINDOW, sent, sent * 7_000, processed, lagAtEnd,
        lagAtEnd, drainNanos < 0 ? -1 : 500_000_000L, 50, lags,
        new Cpu(5_000_000_000L, 4_000_000_000L, 3_000_000_000L), 300L << 20, 400L << 20);
  }

  private static String print(AggregatorBenchReport report) {
    StringWriter out = new StringWriter();
    AggregatorBenchTable.print(report, new PrintWriter(out, true));
    return out.toString();
  }
}

package dev.kvmmp.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvmmp.cli.bench.JstatGc.HeapSample;
import dev.kvmmp.cli.bench.SchedulerBenchReport.CoordinatorCost;
import dev.kvmmp.cli.bench.SchedulerBenchReport.Outcome;
import dev.kvmmp.cli.bench.SchedulerBenchReport.Setup;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class SchedulerBenchTableTest {

  private static final long MS = 1_000_000;
  private static final long MIB = 1 << 20;

  @Test
  void printsBothDecisionLatenciesWithTheirCountsAndPercentiles() {
    String table = print(report(latencies(1_000, 2 * MS), latencies(2_000, 3 * MS), finished(),
        cost(300 * MIB)));

    assertThat(table)
        .containsPattern("(?m)^first wave \\(Submit -> 1st run\\) +1000 +2\\.00 +2\\.00 +2\\.00$")
        .containsPattern("(?m)^next run \\(result -> next run\\) +2000 +3\\.00 +3\\.00 +3\\.00$")
        .containsPattern("(?m)^one decision \\(coordinator\\) +2000 +0\\.80 +4\\.20 +12\\.00$")
        .containsPattern("(?m)^event -> assignment \\(coordinator\\) +2000 +10\\.00 +500\\.00 "
            + "+900\\.00$")
        .contains("1000 simulated workers over 8 gRPC connections; 3000 runs of 50 ms "
            + "(1 workload(s) x 2 fleets x 1500 repetitions); coordinator -Xmx512m")
        .containsPattern("(?m)^runs +3000/3000 succeeded, 0 failed, 0 cancelled in 10\\.0 s: "
            + "300\\.0 runs/s; experiment succeeded; Submit answered in 5\\.0 ms$")
        .containsPattern("(?m)^coordinator CPU +15\\.00 s in 10\\.0 s = 1\\.50 cores$")
        .containsPattern("(?m)^heap after GC +20\\.0 MiB with the workers registered, 300\\.0 MiB"
            + " at the end$")
        .doesNotContain("lost workers");
  }

  @Test
  void goalIsMetWhenTheCoordinatorsP99AndLiveHeapAreWithinIt() {
    String verdict = SchedulerBenchTable.verdict(report(latencies(10, 500 * MS),
        latencies(100, 9 * MS), finished(), cost(511 * MIB)));

    assertThat(verdict).containsPattern("^Goal: decision p99 <= 10 ms: met \\(one decision in "
        + "the coordinator p99 4\\.20 ms over 2000 decisions; NOT counted: event -> assignment "
        + "p99 500\\.00 ms; as the workers see it: next run p99 9\\.00 ms, first wave p99 "
        + "500\\.\\d\\d ms\\); heap <= 512 MiB: met \\(511\\.0 MiB");
  }

  @Test
  void goalIsNotMetBySlowDecisionsOrALargeHeapAndAnUnfinishedRunSaysSo() {
    Outcome unfinished = new Outcome("timed out after PT10M", false, 100, 0, 0, 0, 0,
        10_000 * MS, 0, 7, "bench-00001: UNAVAILABLE", 3);
    String table = print(report(latencies(10, MS), latencies(100, 11 * MS), unfinished,
        cost(513 * MIB), new CoordinatorDecisions(100, 0.001, 0.011, 0.02)));

    assertThat(table)
        .contains("decision p99 <= 10 ms: NOT met (one decision in the coordinator p99 11.00 ms")
        .contains("heap <= 512 MiB: NOT met (513.0 MiB")
        .contains("Experiment NOT finished (timed out after PT10M): 100 of 3000 runs done.")
        .containsPattern("(?m)^lost workers +7 streams ended before the bench closed them, e\\.g\\."
            + " bench-00001: UNAVAILABLE$");
  }

  @Test
  void noDecisionsIsNotAMetGoal() {
    String table = print(report(latencies(10, MS), new Histogram(3), finished(), cost(MIB),
        CoordinatorDecisions.NONE));

    assertThat(table)
        .containsPattern("(?m)^next run \\(result -> next run\\) +0 +- +- +-$")
        .contains("decision p99 <= 10 ms: NOT met");
  }

  private static Outcome finished() {
    return new Outcome("succeeded", true, 3000, 0, 0, 2_000 * MS, 5 * MS, 10_000 * MS,
        4_000 * MS, 0, "", 0);
  }

  private static CoordinatorCost cost(long heapEnd) {
    return new CoordinatorCost(15_000 * MS, new HeapSample(20 * MIB, 64 * MIB, 1, 1, 0.01),
        new HeapSample(heapEnd, 512 * MIB, 9, 2, 0.2), 400 * MIB, 512 * MIB, 8, 0, 0.19,
        700 * MIB);
  }

  private static Histogram latencies(int count, long nanos) {
    Histogram histogram = new Histogram(3);
    histogram.recordValueWithCount(nanos, count);
    return histogram;
  }

  private static SchedulerBenchReport report(Histogram firstWave, Histogram nextRun,
      Outcome outcome, CoordinatorCost cost) {
    return report(firstWave, nextRun, outcome, cost,
        new CoordinatorDecisions(2_000, 0.000_8, 0.004_2, 0.012));
  }

  private static SchedulerBenchReport report(Histogram firstWave, Histogram nextRun,
      Outcome outcome, CoordinatorCost cost, CoordinatorDecisions inside) {
    Setup setup = new Setup(1_000, 8, 50, "512m", List.of(),
        SchedulerExperiment.forWorkers(1_000, 3));
    return new SchedulerBenchReport(setup, outcome, firstWave, nextRun, inside,
        new CoordinatorDecisions(2_000, 0.01, 0.5, 0.9), cost);
  }

  private static String print(SchedulerBenchReport report) {
    StringWriter out = new StringWriter();
    SchedulerBenchTable.print(report, new PrintWriter(out, true));
    return out.toString();
  }
}

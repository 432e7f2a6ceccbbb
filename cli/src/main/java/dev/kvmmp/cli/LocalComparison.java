package dev.kvmmp.cli;

import dev.kvmmp.cli.output.ComparisonTable;
import dev.kvmmp.proto.v1.Experiment;
import dev.kvmmp.proto.v1.ExperimentComparison;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;

/**
 * After a local experiment with several fleets: the aggregator's comparison once it has counted
 * every run, or what it has after a while, said so.
 */
final class LocalComparison {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private LocalComparison() {}

  /** @param experiment the experiment as it ended */
  static void print(String kafka, Experiment experiment, PrintWriter out)
      throws InterruptedException {
    if (experiment.getSpec().getFleetsCount() < 2) {
      return;
    }
    Optional<ExperimentComparison> latest = CompareCommand.awaitUntil(kafka, experiment.getId(),
        comparison -> complete(comparison, experiment), WAIT);
    out.println();
    if (latest.isEmpty()) {
      out.printf("no fleet comparison of %s from the aggregator within %d s%n",
          experiment.getId(), WAIT.toSeconds());
    } else {
      if (!complete(latest.get(), experiment)) {
        out.printf("(the aggregator had not counted every run within %d s)%n", WAIT.toSeconds());
      }
      ComparisonTable.print(latest.get(), out);
    }
    out.flush();
  }

  /** Every fleet's every succeeded run counted, in each comparison. */
  private static boolean complete(ExperimentComparison comparison, Experiment experiment) {
    long perFleet = experiment.getRunCounts().getSucceeded()
        / Math.max(1, (long) experiment.getSpec().getFleetsCount()
            * experiment.getSpec().getWorkloadsCount());
    return !comparison.getComparisonsList().isEmpty() && comparison.getComparisonsList().stream()
        .allMatch(c -> c.getRuns() >= perFleet && c.getBaselineRuns() >= perFleet);
  }
}

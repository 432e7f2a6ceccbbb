package dev.kvmmp.cli.reproduce;

import dev.kvmmp.aggregator.stats.FleetComparisons;
import dev.kvmmp.proto.v1.Effect;
import dev.kvmmp.proto.v1.FleetComparison;
import java.util.Optional;

/**
 * A finding row that compares two fleets' p50 by the aggregator's fleet comparison: the ratio
 * of fleet medians (setting / baseline) with its 95% hierarchical-bootstrap interval; the
 * setting is expected to be faster.
 */
final class FleetRows {

  private FleetRows() {}

  /**
   * @param baseline the runs without the setting
   * @param setting the runs with it
   * @param settingName the setting in the verdict's words, e.g. "polling"
   * @param aggregated the aggregator's comparison of the two fleets; when it did not come, or
   *     counted other runs than those reported, the same comparison is made here and says so
   */
  static FindingRow row(String finding, String subject, String talk, RunGroup baseline,
      RunGroup setting, String settingName, Optional<FleetComparison> aggregated) {
    int runs = baseline.size() + setting.size();
    int needed = FleetComparisons.MIN_RUNS_PER_FLEET;
    if (baseline.size() < needed || setting.size() < needed) {
      return new FindingRow(finding, subject, talk, "-", "-", Verdict.NOT_MEASURED, "only "
          + baseline.size() + " runs without and " + setting.size() + " with " + settingName
          + " reported; a verdict needs " + needed + " each", runs);
    }
    Optional<FleetComparison> counted = aggregated.filter(c -> c.hasP50()
        && c.getRuns() == setting.size() && c.getBaselineRuns() == baseline.size());
    FleetComparison comparison = counted.orElseGet(() -> FleetComparisons.compare(0, subject,
        "without", baseline.samples(), "with", setting.samples(), subject.hashCode()));
    Effect p50 = comparison.getP50();
    String here = Numbers.number(p50.getBaselineMedian() / 1_000) + " -> "
        + Numbers.us(p50.getMedian()) + " (" + Numbers.ratio(p50.getRatio()) + ")";
    String reason = p50.getCiHigh() < 1 ? settingName + " faster: the whole interval lies below 1"
        : p50.getCiLow() > 1 ? settingName + " slower here: the interval lies above 1"
        : "no difference detected: the interval spans 1";
    if (counted.isEmpty()) {
      reason += " (compared here: the aggregator's comparison did not count these runs)";
    }
    return new FindingRow(finding, subject, talk, here,
        Numbers.ratioInterval(p50.getCiLow(), p50.getCiHigh()),
        p50.getCiHigh() < 1 ? Verdict.REPRODUCED : Verdict.NOT_REPRODUCED, reason, runs);
  }

  /** {@code row} with {@code more} after what it measured, when it measured anything. */
  static FindingRow withMore(FindingRow row, String more) {
    if (row.here().equals("-") || more.isEmpty()) {
      return row;
    }
    return new FindingRow(row.finding(), row.subject(), row.talk(), row.here() + more,
        row.interval(), row.verdict(), row.reason(), row.runs());
  }

  /** ", polls 45.1 us per tx" from the median of {@code cost}, or "" when unmeasured. */
  static String pollCost(RunGroup runs, ReportFigure cost, String per) {
    double ns = runs.median(cost::of);
    return Double.isNaN(ns) ? "" : ", polls " + Numbers.us(ns) + "/" + per;
  }
}

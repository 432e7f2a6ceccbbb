package dev.kvmmp.cli.output;

import dev.kvmmp.proto.v1.Effect;
import dev.kvmmp.proto.v1.ExperimentComparison;
import dev.kvmmp.proto.v1.FleetComparison;
import java.io.PrintWriter;
import java.util.Locale;

/** An experiment's fleet comparison as a table: each fleet against the baseline, per workload. */
public final class ComparisonTable {

  private static final String ROW = "%-12s %-22s %5s %5s  %-24s %-24s %8s %10s  %s%n";

  private ComparisonTable() {}

  public static void print(ExperimentComparison comparison, PrintWriter out) {
    out.printf(Locale.ROOT, "fleet comparison of %s (the sample unit is the run; 95%% CIs from "
        + "a hierarchical bootstrap over hosts, VMs, runs):%n", comparison.getExperimentId());
    out.printf(Locale.ROOT, ROW, "workload", "fleet vs baseline", "runs", "base", "p50 ratio",
        "p99 ratio", "p(rank)", "poll ns/tx", "verdict");
    for (FleetComparison fleet : comparison.getComparisonsList()) {
      out.printf(Locale.ROOT, ROW, fleet.getWorkload(),
          fleet.getFleet() + " vs " + fleet.getBaselineFleet(), fleet.getRuns(),
          fleet.getBaselineRuns(), effect(fleet.getP50()), effect(fleet.getP99()),
          number("%.3g", fleet.getRankTestPValue()),
          number("%.0f", fleet.getPollNsPerTransaction()),
          fleet.getVerdict());
    }
  }

  /** NaN means not known (no host data, too few runs): shown as "-", not as a number. */
  private static String number(String format, double value) {
    return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, format, value);
  }

  private static String effect(Effect effect) {
    if (effect.getRatio() == 0) {
      return "-";
    }
    return String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", effect.getRatio(), effect.getCiLow(),
        effect.getCiHigh());
  }
}

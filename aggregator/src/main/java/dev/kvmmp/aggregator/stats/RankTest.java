package dev.kvmmp.aggregator.stats;

import java.util.List;
import org.apache.commons.math3.stat.inference.MannWhitneyUTest;

/**
 * Two-sided Mann-Whitney U test of run-level p50s, a check beside the interval that assumes
 * nothing about the shape of the run distributions.
 *
 * <p>commons-math3 3.6.1 gives the normal approximation (no exact distribution, no tie or
 * continuity correction): fair from about 8 runs per fleet, rough below. Ties get average
 * ranks, which makes the p-value larger, not smaller. It treats runs as independent, so with
 * strong host effects it is too eager; the verdict rests on the hierarchical interval, not on
 * this p-value.
 */
public final class RankTest {

  private RankTest() {}

  /** The p-value that the fleets' run p50s come from one distribution; 1 for identical values. */
  public static double p50PValue(List<RunSample> baseline, List<RunSample> fleet) {
    if (baseline.isEmpty() || fleet.isEmpty()) {
      throw new IllegalArgumentException("rank test: need >= 1 run per fleet, got "
          + baseline.size() + " baseline and " + fleet.size() + " fleet runs");
    }
    double[] x = baseline.stream().mapToDouble(RunSample::p50Ns).toArray();
    double[] y = fleet.stream().mapToDouble(RunSample::p50Ns).toArray();
    return new MannWhitneyUTest().mannWhitneyUTest(x, y);
  }
}

package dev.kvmmp.aggregator.stats;

import dev.kvmmp.proto.v1.FleetComparison;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * One fleet against a baseline fleet for one workload: ratios of fleet medians of run-level
 * p50, p99 and mean with hierarchical-bootstrap intervals, a rank test, the poll cost of each
 * fleet and the verdict in words.
 */
public final class FleetComparisons {

  /**
   * Runs each fleet needs for a verdict. With 5 per fleet the rank test can reach p = 0.008
   * (exact; 3 per fleet cannot go below 0.1, 4 not below 0.03), and one odd run no longer
   * decides a fleet's median. The interval's width still depends on how many hosts and VMs
   * the runs had: 5 runs in one VM say nothing about other VMs.
   */
  public static final int MIN_RUNS_PER_FLEET = 5;

  private static final HierarchicalBootstrap DEFAULT_BOOTSTRAP = new HierarchicalBootstrap();

  private FleetComparisons() {}

  /**
   * The comparison with {@link HierarchicalBootstrap#DEFAULT_RESAMPLES} resamples; see
   * {@link #compare(int, String, String, List, String, List, long, HierarchicalBootstrap)}.
   */
  public static FleetComparison compare(int workloadIndex, String workload, String baselineName,
      List<RunSample> baseline, String fleetName, List<RunSample> fleet, long seed) {
    return compare(workloadIndex, workload, baselineName, baseline, fleetName, fleet, seed,
        DEFAULT_BOOTSTRAP);
  }

  /**
   * Compares {@code fleet} against {@code baseline}. Below {@link #MIN_RUNS_PER_FLEET} runs in
   * either fleet, the effects stay unset and the rank test p-value is NaN; the run counts and
   * poll medians are filled in all cases. A poll median is NaN when no run of the fleet has
   * host data.
   *
   * @param seed seeds the bootstrap: the same runs and seed give the same comparison
   */
  public static FleetComparison compare(int workloadIndex, String workload,
      String baselineName, List<RunSample> baseline, String fleetName, List<RunSample> fleet,
      long seed, HierarchicalBootstrap bootstrap) {
    if (workloadIndex < 0) {
      throw new IllegalArgumentException("workloadIndex must be >= 0, was " + workloadIndex);
    }
    FleetComparison.Builder result = FleetComparison.newBuilder()
        .setWorkloadIndex(workloadIndex)
        .setWorkload(workload)
        .setBaselineFleet(baselineName)
        .setFleet(fleetName)
        .setBaselineRuns(baseline.size())
        .setRuns(fleet.size())
        .setBaselinePollNsPerSecond(median(baseline, RunSample::pollNsPerSecond))
        .setPollNsPerSecond(median(fleet, RunSample::pollNsPerSecond))
        .setBaselinePollNsPerTransaction(median(baseline, RunSample::pollNsPerTransaction))
        .setPollNsPerTransaction(median(fleet, RunSample::pollNsPerTransaction));
    if (baseline.size() < MIN_RUNS_PER_FLEET || fleet.size() < MIN_RUNS_PER_FLEET) {
      return result.setRankTestPValue(Double.NaN)
          .setVerdict(Verdicts.notEnoughRuns(MIN_RUNS_PER_FLEET))
          .build();
    }
    SplittableRandom random = new SplittableRandom(seed);
    RatioInterval p50 = bootstrap.ratioOfMedians(baseline, fleet, RunSample::p50Ns, random);
    RatioInterval p99 = bootstrap.ratioOfMedians(baseline, fleet, RunSample::p99Ns, random);
    RatioInterval mean = bootstrap.ratioOfMedians(baseline, fleet, RunSample::meanNs, random);
    return result.setP50(p50.toEffect())
        .setP99(p99.toEffect())
        .setMean(mean.toEffect())
        .setRankTestPValue(RankTest.p50PValue(baseline, fleet))
        .setVerdict(Verdicts.of(fleetName, p50))
        .build();
  }

  /** The median over the runs that have the figure (not NaN); NaN when none has it. */
  private static double median(List<RunSample> runs, ToDoubleFunction<RunSample> figure) {
    double[] values = runs.stream().mapToDouble(figure).filter(v -> !Double.isNaN(v)).toArray();
    return values.length == 0 ? Double.NaN : RunClusters.medianOf(values, values.length);
  }
}

package dev.kvmmp.cli.reproduce;

import com.google.protobuf.util.Durations;
import dev.kvmmp.aggregator.stats.FleetComparisons;
import dev.kvmmp.proto.v1.ExperimentSpec;
import dev.kvmmp.proto.v1.Workload;

/**
 * What {@code --quick} changes in a seed experiment: the same workloads and fleets, with the
 * fewest runs that still give a verdict, each shorter. Intervals come out wider; the output
 * says so.
 */
public final class QuickPlan {

  /** The fewest runs per group that give a verdict (see {@link FleetComparisons}). */
  public static final int REPETITIONS = FleetComparisons.MIN_RUNS_PER_FLEET;
  public static final long WARMUP_MS = 300;
  public static final long DURATION_MS = 700;
  public static final int ROUND_TRIPS = 2_000;
  public static final int WARMUP_ROUND_TRIPS = 200;

  private QuickPlan() {}

  /**
   * The spec as {@code --quick} runs it: {@link #REPETITIONS} runs per group, and windows no
   * longer than the quick ones (a spec already shorter stays as short).
   */
  public static ExperimentSpec apply(ExperimentSpec spec) {
    ExperimentSpec.Builder quick = spec.toBuilder().setRepetitions(REPETITIONS);
    if (Durations.toMillis(spec.getWarmup()) > WARMUP_MS) {
      quick.setWarmup(Durations.fromMillis(WARMUP_MS));
    }
    if (Durations.toMillis(spec.getDuration()) > DURATION_MS) {
      quick.setDuration(Durations.fromMillis(DURATION_MS));
    }
    for (Workload.Builder workload : quick.getWorkloadsBuilderList()) {
      if (workload.hasIpiHalt()) {
        var ipiHalt = workload.getIpiHaltBuilder();
        if (!ipiHalt.hasRoundTrips() || ipiHalt.getRoundTrips() > ROUND_TRIPS) {
          ipiHalt.setRoundTrips(ROUND_TRIPS);
        }
        if (!ipiHalt.hasWarmupRoundTrips() || ipiHalt.getWarmupRoundTrips() > WARMUP_ROUND_TRIPS) {
          ipiHalt.setWarmupRoundTrips(WARMUP_ROUND_TRIPS);
        }
      }
    }
    return quick.build();
  }

  /** What --quick does, in one line for the output. */
  public static String describe() {
    return "--quick: " + REPETITIONS + " runs per group of " + DURATION_MS + " ms after "
        + WARMUP_MS + " ms warm-up (micro-VM: " + ROUND_TRIPS + " round trips), fewer and "
        + "shorter than the seed files say: wider intervals";
  }
}

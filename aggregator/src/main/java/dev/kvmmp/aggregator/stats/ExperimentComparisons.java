package dev.kvmmp.aggregator.stats;

import com.google.protobuf.Timestamp;
import dev.kvmmp.proto.v1.ExperimentComparison;
import dev.kvmmp.proto.v1.ExperimentSpec;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/** Every fleet of an experiment against one baseline fleet, for every workload. */
public final class ExperimentComparisons {

  /** The fleet an experiment without fleets runs on (see {@code ExperimentSpec.fleets}). */
  static final String DEFAULT_FLEET = "default";

  private ExperimentComparisons() {}

  /** The baseline when none is named: the spec's first fleet. */
  public static String defaultBaseline(ExperimentSpec spec) {
    return spec.getFleetsCount() == 0 ? DEFAULT_FLEET : spec.getFleets(0).getName();
  }

  /**
   * Compares each fleet of {@code fleets} but the baseline against the baseline, workload by
   * workload (by index), fleets in the given order. Runs of fleets not in {@code fleets} are
   * not compared. Each comparison has its own seed, derived from {@code seed}, the workload and
   * the fleet, so that adding a fleet leaves the others' intervals as they were.
   *
   * @param fleets the experiment's fleet names, in the order of its spec
   * @param baselineFleet one of {@code fleets}
   */
  public static ExperimentComparison compare(String experimentId, List<String> fleets,
      String baselineFleet, List<WorkloadRuns> workloads, long seed, Instant computedAt,
      HierarchicalBootstrap bootstrap) {
    if (!fleets.contains(baselineFleet)) {
      throw new IllegalArgumentException("experiment '" + experimentId + "': baseline fleet '"
          + baselineFleet + "' is not one of its fleets " + fleets);
    }
    ExperimentComparison.Builder result = ExperimentComparison.newBuilder()
        .setExperimentId(experimentId)
        .setComputedAt(Timestamp.newBuilder().setSeconds(computedAt.getEpochSecond())
            .setNanos(computedAt.getNano()));
    List<WorkloadRuns> byIndex = workloads.stream()
        .sorted(Comparator.comparingInt(WorkloadRuns::workloadIndex)).toList();
    for (WorkloadRuns workload : byIndex) {
      for (String fleet : fleets) {
        if (fleet.equals(baselineFleet)) {
          continue;
        }
        result.addComparisons(FleetComparisons.compare(workload.workloadIndex(),
            workload.workload(), baselineFleet, workload.runsOf(baselineFleet), fleet,
            workload.runsOf(fleet), seedOf(seed, workload.workloadIndex(), fleet), bootstrap));
      }
    }
    return result.build();
  }

  private static long seedOf(long seed, int workloadIndex, String fleet) {
    // A 64-bit odd constant (the golden ratio's) spreads nearby inputs over the whole range.
    return seed ^ ((31L * workloadIndex + fleet.hashCode()) * 0x9E3779B97F4A7C15L);
  }
}

package dev.kvmmp.aggregator.stats;

import java.util.List;
import java.util.Map;

/**
 * The runs of one workload of an experiment, by fleet name.
 *
 * @param workloadIndex the workload's index in the experiment's spec
 * @param workload the workload's name, e.g. "tcp_rr"
 * @param runsByFleet each fleet's runs of this workload; a fleet without runs may be absent
 */
public record WorkloadRuns(int workloadIndex, String workload,
    Map<String, List<RunSample>> runsByFleet) {

  public WorkloadRuns {
    if (workloadIndex < 0) {
      throw new IllegalArgumentException("workloadIndex must be >= 0, was " + workloadIndex);
    }
    runsByFleet = Map.copyOf(runsByFleet);
  }

  /** The fleet's runs, empty when it has none. */
  public List<RunSample> runsOf(String fleet) {
    return runsByFleet.getOrDefault(fleet, List.of());
  }
}

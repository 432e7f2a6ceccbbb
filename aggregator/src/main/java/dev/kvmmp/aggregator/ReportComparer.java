package dev.kvmmp.aggregator;

import dev.kvmmp.aggregator.stats.ExperimentComparisons;
import dev.kvmmp.aggregator.stats.HierarchicalBootstrap;
import dev.kvmmp.aggregator.stats.RunSample;
import dev.kvmmp.aggregator.stats.WorkloadRuns;
import dev.kvmmp.proto.v1.Experiment;
import dev.kvmmp.proto.v1.ExperimentComparison;
import dev.kvmmp.proto.v1.Fleet;
import dev.kvmmp.proto.v1.RunReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The comparer the aggregator runs: the reports of an experiment's runs, as run samples grouped
 * by workload and fleet, each fleet against the spec's first (the baseline), seeded by the
 * experiment id so that the same reports always give the same intervals.
 */
final class ReportComparer implements Comparer {

  private final HierarchicalBootstrap bootstrap = new HierarchicalBootstrap();

  @Override
  public ExperimentComparison compare(Experiment experiment, List<RunReport> reports,
      Instant now) {
    Map<Integer, String> names = new TreeMap<>();
    Map<Integer, Map<String, List<RunSample>>> byWorkload = new TreeMap<>();
    for (RunReport report : reports) {
      Optional<RunSample> sample = RunSample.of(report);
      if (sample.isEmpty()) {
        continue;
      }
      names.putIfAbsent(report.getWorkloadIndex(), report.getWorkload());
      byWorkload.computeIfAbsent(report.getWorkloadIndex(), i -> new HashMap<>())
          .computeIfAbsent(report.getFleet(), f -> new ArrayList<>()).add(sample.get());
    }
    List<WorkloadRuns> workloads = byWorkload.entrySet().stream()
        .map(e -> new WorkloadRuns(e.getKey(), names.get(e.getKey()), e.getValue()))
        .toList();
    List<String> fleets = experiment.getSpec().getFleetsCount() == 0
        ? List.of(ExperimentComparisons.defaultBaseline(experiment.getSpec()))
        : experiment.getSpec().getFleetsList().stream().map(Fleet::getName).toList();
    return ExperimentComparisons.compare(experiment.getId(), fleets,
        ExperimentComparisons.defaultBaseline(experiment.getSpec()), workloads,
        experiment.getId().hashCode(), now, bootstrap);
  }
}

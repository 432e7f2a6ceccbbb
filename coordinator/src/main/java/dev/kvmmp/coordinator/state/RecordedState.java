package dev.kvmmp.coordinator.state;

import dev.kvmmp.proto.v1.Experiment;
import dev.kvmmp.proto.v1.Run;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The latest recorded version of every experiment, oldest submission first, and of every run of
 * those experiments, in schedule order. Runs without their experiment (a submission cut short by
 * a crash) are left out.
 */
public record RecordedState(List<Experiment> experiments, Map<String, List<Run>> runs) {

  public static final RecordedState EMPTY = new RecordedState(List.of(), Map.of());

  /** Assembles the state from the latest record of every key, in any order. */
  public static RecordedState of(Iterable<Experiment> experiments, Iterable<Run> runs) {
    List<Experiment> ordered = new ArrayList<>();
    experiments.forEach(ordered::add);
    ordered.sort(Comparator.comparingLong((Experiment e) -> e.getSubmittedAt().getSeconds())
        .thenComparingInt(e -> e.getSubmittedAt().getNanos())
        .thenComparing(Experiment::getId));
    Map<String, List<Run>> byExperiment = new HashMap<>();
    for (Experiment experiment : ordered) {
      byExperiment.put(experiment.getId(), new ArrayList<>());
    }
    for (Run run : runs) {
      List<Run> list = byExperiment.get(run.getExperimentId());
      if (list != null) {
        list.add(run);
      }
    }
    byExperiment.values().forEach(list -> list.sort(Comparator.comparingInt(Run::getSequence)));
    return new RecordedState(List.copyOf(ordered), byExperiment);
  }

  public int runCount() {
    return runs.values().stream().mapToInt(List::size).sum();
  }
}

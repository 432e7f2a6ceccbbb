package dev.kvmmp.coordinator.state;

import dev.kvmmp.proto.v1.Experiment;
import dev.kvmmp.proto.v1.Run;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A state log in memory: for unit tests (a second coordinator built on the same log is a
 * restart) and for a coordinator started without a broker, whose state ends with its process.
 */
public final class MemoryStateLog implements StateLog {

  private final Map<String, Experiment> experiments = new LinkedHashMap<>();
  private final Map<String, Run> runs = new LinkedHashMap<>();
  /** Every run change in the order recorded: the run log a test can read. */
  private final List<Run> runChanges = new ArrayList<>();

  @Override
  public synchronized void submitted(Experiment experiment, List<Run> submittedRuns) {
    for (Run run : submittedRuns) {
      runs.put(run.getId(), run);
    }
    experiments.put(experiment.getId(), experiment);
  }

  @Override
  public synchronized void experimentChanged(Experiment experiment) {
    experiments.put(experiment.getId(), experiment);
  }

  @Override
  public synchronized CompletableFuture<Void> runChanged(Run run) {
    runs.put(run.getId(), run);
    runChanges.add(run);
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public synchronized RecordedState read() {
    return RecordedState.of(List.copyOf(experiments.values()), List.copyOf(runs.values()));
  }

  public synchronized List<Run> runChanges() {
    return List.copyOf(runChanges);
  }

  @Override
  public void close() {}
}

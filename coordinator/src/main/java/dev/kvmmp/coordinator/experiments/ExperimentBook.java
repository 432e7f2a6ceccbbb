package dev.kvmmp.coordinator.experiments;

import com.google.protobuf.util.Timestamps;
import dev.kvmmp.proto.v1.Experiment;
import dev.kvmmp.proto.v1.ExperimentState;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunCounts;
import dev.kvmmp.proto.v1.RunEvent;
import dev.kvmmp.proto.v1.RunProgress;
import dev.kvmmp.proto.v1.RunState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import dev.kvmmp.coordinator.state.RecordedState;
import dev.kvmmp.coordinator.state.StateLog;

/**
 * Every experiment and run the coordinator knows, and who is watching them. Not thread-safe: the
 * coordinator calls it under its lock. Every change is also written to the {@link StateLog} (Kafka,
 * the system of record), from which {@link #restore} rebuilds the book after a restart.
 */
public final class ExperimentBook {

  private final StateLog stateLog;

  private final Map<String, Experiment> experiments = new LinkedHashMap<>();
  private final Map<String, List<Run>> runsByExperiment = new HashMap<>();
  private final Map<String, Integer> runIndex = new HashMap<>();
  private final Map<String, List<ExperimentListener>> listeners = new HashMap<>();
  /** Run counts by state per experiment, kept as runs change: recounting costs every run. */
  private final Map<String, Map<RunState, Integer>> counts = new HashMap<>();

  public ExperimentBook(StateLog stateLog) {
    this.stateLog = stateLog;
  }

  /**
   * Records a new experiment with its runs, first in the state log (whole or not at all), then
   * here.
   *
   * @throws dev.kvmmp.coordinator.state.StateLogException when the log could not take it
   */
  public void add(Experiment experiment, List<Run> runs) {
    Experiment counted = experiment.toBuilder().setRunCounts(count(runs)).build();
    stateLog.submitted(counted, runs);
    put(counted, runs);
  }

  /** Fills the book with what the state log holds, writing nothing back. */
  public void restore(RecordedState state) {
    for (Experiment experiment : state.experiments()) {
      put(experiment, state.runs().getOrDefault(experiment.getId(), List.of()));
    }
  }

  private void put(Experiment experiment, List<Run> runs) {
    experiments.put(experiment.getId(), experiment);
    runsByExperiment.put(experiment.getId(), new ArrayList<>(runs));
    Map<RunState, Integer> byState = new java.util.EnumMap<>(RunState.class);
    runs.forEach(r -> byState.merge(r.getState(), 1, Integer::sum));
    counts.put(experiment.getId(), byState);
    for (int i = 0; i < runs.size(); i++) {
      runIndex.put(runs.get(i).getId(), i);
    }
  }

  public Optional<Experiment> experiment(String id) {
    return Optional.ofNullable(experiments.get(id));
  }

  public List<Run> runs(String experimentId) {
    return List.copyOf(runsByExperiment.getOrDefault(experimentId, List.of()));
  }

  public Optional<Run> run(String runId) {
    Integer index = runIndex.get(runId);
    if (index == null) {
      return Optional.empty();
    }
    return Optional.of(runsByExperiment.get(experimentIdOf(runId)).get(index));
  }

  /** Newest first. */
  public List<Experiment> newestFirst(int limit) {
    List<Experiment> all = new ArrayList<>(experiments.values());
    Collections.reverse(all);
    return all.subList(0, Math.min(limit, all.size()));
  }

  /** Pending runs of unfinished experiments: oldest experiment first, then schedule order. */
  public List<Run> pendingRuns() {
    List<Run> pending = new ArrayList<>();
    for (Experiment experiment : experiments.values()) {
      if (isFinal(experiment.getState())) {
        continue;
      }
      for (Run run : runsByExperiment.get(experiment.getId())) {
        if (run.getState() == RunState.RUN_STATE_PENDING) {
          pending.add(run);
        }
      }
    }
    return pending;
  }

  /**
   * Replaces a run with its new version, records it and tells the experiment's watchers.
   *
   * @return completes when the change is durable in the state log
   */
  public CompletableFuture<Void> update(Run run, Instant at) {
    CompletableFuture<Void> durable = replace(run, at);
    refresh(run.getExperimentId(), at);
    return durable;
  }

  public void progress(RunProgress progress) {
    Run run = run(progress.getRunId()).orElse(null);
    if (run != null) {
      for (ExperimentListener listener : listenersOf(run.getExperimentId())) {
        listener.onProgress(progress);
      }
    }
  }

  /**
   * Cancels the experiment and its unfinished runs.
   *
   * @return the runs that were running, whose workers must be told to stop
   */
  public List<Run> cancel(String id, String reason, Instant at) {
    Experiment current = experiments.get(id);
    if (isFinal(current.getState())) {
      return List.of();
    }
    List<Run> wereRunning = new ArrayList<>();
    for (Run run : runsByExperiment.get(id)) {
      if (isFinal(run.getState())) {
        continue;
      }
      if (run.getState() == RunState.RUN_STATE_RUNNING) {
        wereRunning.add(run);
      }
      replace(run.toBuilder()
          .setState(RunState.RUN_STATE_CANCELLED)
          .setReason("experiment cancelled: " + reason)
          .setFinishedAt(Timestamps.fromMillis(at.toEpochMilli()))
          .build(), at);
    }
    record(current.toBuilder()
        .setRunCounts(counted(id))
        .setState(ExperimentState.EXPERIMENT_STATE_CANCELLED)
        .setReason(reason)
        .setFinishedAt(Timestamps.fromMillis(at.toEpochMilli()))
        .build());
    notifyExperiment(id);
    return wereRunning;
  }

  /** Adds a watcher; it is told at once if the experiment has already finished. */
  public void watch(String experimentId, ExperimentListener listener) {
    Experiment experiment = experiments.get(experimentId);
    if (isFinal(experiment.getState())) {
      listener.onFinished(experiment);
      return;
    }
    listeners.computeIfAbsent(experimentId, id -> new CopyOnWriteArrayList<>()).add(listener);
  }

  public void unwatch(String experimentId, ExperimentListener listener) {
    listenersOf(experimentId).remove(listener);
  }

  public static boolean isFinal(ExperimentState state) {
    return state == ExperimentState.EXPERIMENT_STATE_SUCCEEDED
        || state == ExperimentState.EXPERIMENT_STATE_FAILED
        || state == ExperimentState.EXPERIMENT_STATE_CANCELLED;
  }

  public static boolean isFinal(RunState state) {
    return state == RunState.RUN_STATE_SUCCEEDED
        || state == RunState.RUN_STATE_FAILED
        || state == RunState.RUN_STATE_CANCELLED;
  }

  private CompletableFuture<Void> replace(Run run, Instant at) {
    Run previous = runsByExperiment.get(run.getExperimentId()).set(runIndex.get(run.getId()), run);
    Map<RunState, Integer> byState = counts.get(run.getExperimentId());
    byState.merge(previous.getState(), -1, Integer::sum);
    byState.merge(run.getState(), 1, Integer::sum);
    CompletableFuture<Void> durable = stateLog.runChanged(run);
    RunEvent event = RunEvent.newBuilder()
        .setRun(run)
        .setAt(Timestamps.fromMillis(at.toEpochMilli()))
        .build();
    for (ExperimentListener listener : listenersOf(run.getExperimentId())) {
      listener.onRun(event);
    }
    return durable;
  }

  private void record(Experiment experiment) {
    experiments.put(experiment.getId(), experiment);
    stateLog.experimentChanged(experiment);
  }

  private void refresh(String experimentId, Instant at) {
    Experiment current = experiments.get(experimentId);
    if (isFinal(current.getState())) {
      return;
    }
    RunCounts counted = counted(experimentId);
    Experiment.Builder next = current.toBuilder().setRunCounts(counted)
        .setState(stateOf(counted));
    if (isFinal(next.getState())) {
      next.setFinishedAt(Timestamps.fromMillis(at.toEpochMilli()));
      if (next.getState() == ExperimentState.EXPERIMENT_STATE_FAILED) {
        next.setReason("no run succeeded");
      }
    }
    Experiment changed = next.build();
    if (!changed.equals(current)) {
      record(changed);
      notifyExperiment(experimentId);
    }
  }

  private void notifyExperiment(String experimentId) {
    Experiment experiment = experiments.get(experimentId);
    List<ExperimentListener> watching = listenersOf(experimentId);
    for (ExperimentListener listener : watching) {
      listener.onExperiment(experiment);
    }
    if (isFinal(experiment.getState())) {
      for (ExperimentListener listener : watching) {
        listener.onFinished(experiment);
      }
      listeners.remove(experimentId);
    }
  }

  private List<ExperimentListener> listenersOf(String experimentId) {
    return listeners.getOrDefault(experimentId, List.of());
  }

  private static ExperimentState stateOf(RunCounts counts) {
    if (counts.getPending() + counts.getRunning() == 0) {
      return counts.getSucceeded() > 0
          ? ExperimentState.EXPERIMENT_STATE_SUCCEEDED
          : ExperimentState.EXPERIMENT_STATE_FAILED;
    }
    boolean started = counts.getRunning() + counts.getSucceeded() + counts.getFailed()
        + counts.getCancelled() > 0;
    return started ? ExperimentState.EXPERIMENT_STATE_RUNNING
        : ExperimentState.EXPERIMENT_STATE_PENDING;
  }

  private RunCounts counted(String experimentId) {
    Map<RunState, Integer> byState = counts.get(experimentId);
    return RunCounts.newBuilder()
        .setTotal(runsByExperiment.get(experimentId).size())
        .setPending(byState.getOrDefault(RunState.RUN_STATE_PENDING, 0))
        .setRunning(byState.getOrDefault(RunState.RUN_STATE_RUNNING, 0))
        .setSucceeded(byState.getOrDefault(RunState.RUN_STATE_SUCCEEDED, 0))
        .setFailed(byState.getOrDefault(RunState.RUN_STATE_FAILED, 0))
        .setCancelled(byState.getOrDefault(RunState.RUN_STATE_CANCELLED, 0))
        .build();
  }

  private static RunCounts count(List<Run> runs) {
    RunCounts.Builder counts = RunCounts.newBuilder().setTotal(runs.size());
    for (Run run : runs) {
      switch (run.getState()) {
        case RUN_STATE_PENDING -> counts.setPending(counts.getPending() + 1);
        case RUN_STATE_RUNNING -> counts.setRunning(counts.getRunning() + 1);
        case RUN_STATE_SUCCEEDED -> counts.setSucceeded(counts.getSucceeded() + 1);
        case RUN_STATE_FAILED -> counts.setFailed(counts.getFailed() + 1);
        case RUN_STATE_CANCELLED -> counts.setCancelled(counts.getCancelled() + 1);
        default -> throw new IllegalStateException("run " + run.getId() + " has no state");
      }
    }
    return counts.build();
  }

  private static String experimentIdOf(String runId) {
    return runId.substring(0, runId.lastIndexOf("-r"));
  }
}

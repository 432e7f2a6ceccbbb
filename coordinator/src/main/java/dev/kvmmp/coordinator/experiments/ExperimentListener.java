package dev.kvmmp.coordinator.experiments;

import dev.kvmmp.proto.v1.Experiment;
import dev.kvmmp.proto.v1.RunEvent;
import dev.kvmmp.proto.v1.RunProgress;

/** Follows one experiment. Called under the coordinator's lock: implementations must not block. */
public interface ExperimentListener {

  void onRun(RunEvent event);

  void onProgress(RunProgress progress);

  /** The experiment's state or counts changed. */
  void onExperiment(Experiment experiment);

  /** The experiment reached a final state; no more calls follow. */
  void onFinished(Experiment experiment);
}

package dev.kvmmp.cli.bench;

import dev.kvmmp.proto.v1.Workload;
import java.time.Duration;
import java.util.Optional;

/** kvmmp's side of a trial: one run of a workload, reduced to its figures. */
public interface KvmmpSide {

  /** Why this build cannot run the workload; empty if it can. */
  Optional<String> unavailableReason(Workload workload);

  /** Runs the workload, already placed, for a window of {@code duration} after warm-up. */
  Figures run(String runId, Workload workload, Duration duration) throws TrialException;
}

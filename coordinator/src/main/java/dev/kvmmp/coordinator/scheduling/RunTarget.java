package dev.kvmmp.coordinator.scheduling;

import dev.kvmmp.proto.v1.Run;
import java.util.Map;
import java.util.Optional;

/**
 * Where a run can go: a guest-worker in a VM (guest workloads) or a host-probe (host workloads
 * such as ipi_halt). One run at a time each. Its current run is only touched under the
 * coordinator's lock.
 */
public interface RunTarget {

  /** The worker id, or the probe's host id. */
  String id();

  /** "worker 'w-1'" or "probe of host 'h-1'", for messages. */
  String describe();

  /** What a fleet selector matches against. */
  Map<String, String> labels();

  boolean supports(String workloadKind);

  Optional<String> currentRunId();

  default boolean isIdle() {
    return currentRunId().isEmpty();
  }

  /** Takes {@code runId} as the current run, before the assignment is sent. */
  void hold(String runId);

  /** Takes {@code run} as the current run and sends it the assignment. */
  void start(Run run);

  /**
   * Tells it to stop {@code runId} without a result. A probe is free at once; a worker once it
   * answers with the run's end.
   */
  void cancel(String runId, String reason);

  /** Frees it for the next run. */
  void release();
}

package dev.kvmmp.worker.workload;

import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunResult;

/** A message-passing workload the worker can run. One instance serves many runs, one at a time. */
public interface Workload {

  /** The kind's name as in the spec, e.g. "tcp_rr". */
  String kind();

  /**
   * Runs a warm-up, then the measured window, and returns the measurement.
   *
   * @throws WorkloadException when the run cannot be measured; its message says why
   */
  RunResult run(Run run, RunControl control) throws WorkloadException;
}

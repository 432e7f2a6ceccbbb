package dev.kvmmp.worker.workload;

/** A message-passing workload the worker can run. One instance serves many runs, one at a time. */
public interface Workload {

  /** The kind's name as in the spec, e.g. "tcp_rr". */
  String kind();

  /**
   * Places its sides per the context, warms up, measures the window and cleans up after itself
   * (threads stopped, processes gone), also when it fails or is cancelled.
   *
   * @throws WorkloadException when the run cannot be measured; its message says why
   */
  Outcome run(RunContext context) throws WorkloadException;
}

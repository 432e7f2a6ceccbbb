package dev.kvmmp.worker.workload;

import java.io.IOException;

/**
 * A transaction that measures its own latency, for workloads whose interval starts on one
 * thread and ends on another (a wake-up: the signaller's timestamp to the waiter's).
 */
@FunctionalInterface
public interface SelfTimed {

  /** Performs one transaction and returns its latency in ns. */
  long once() throws IOException;
}

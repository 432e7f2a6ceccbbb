package dev.kvmmp.worker.workload;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What a running workload shares with the rest of the worker: whether it should stop, and how
 * far it has got. Written from the timing loop, so both sides are plain opaque accesses: no
 * fences in the hot path.
 */
public final class RunControl {

  private volatile boolean cancelled;
  private volatile String phase = "starting";
  private final AtomicLong transactions = new AtomicLong();
  private volatile long phaseStartNanos = System.nanoTime();

  public void cancel() {
    cancelled = true;
  }

  public boolean cancelled() {
    return cancelled;
  }

  /** Called by the workload when it enters a phase ("warmup", "measure"). */
  public void enterPhase(String name) {
    transactions.setOpaque(0);
    phaseStartNanos = System.nanoTime();
    phase = name;
  }

  /** Called by the workload every so many transactions. */
  public void transactionsSoFar(long count) {
    transactions.setOpaque(count);
  }

  public String phase() {
    return phase;
  }

  public long transactions() {
    return transactions.getOpaque();
  }

  public long phaseElapsedNanos() {
    return System.nanoTime() - phaseStartNanos;
  }
}

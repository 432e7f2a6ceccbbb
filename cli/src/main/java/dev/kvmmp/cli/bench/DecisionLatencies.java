package dev.kvmmp.cli.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;

/**
 * Scheduling decisions as the simulated workers see them, in ns. The first wave: from sending
 * Submit to each worker's first AssignRun (a burst of one decision per worker). The next run:
 * from a worker sending RunCompleted to its next AssignRun, counted only when its fleet still had
 * runs not yet assigned, so that the end of the experiment (nothing left to assign) is no
 * latency.
 */
final class DecisionLatencies {

  private final Histogram firstWave = new SynchronizedHistogram(3);
  private final Histogram nextRun = new SynchronizedHistogram(3);
  private final Map<String, AtomicInteger> assignedByFleet = new ConcurrentHashMap<>();
  private final AtomicInteger assignments = new AtomicInteger();
  private final AtomicInteger completions = new AtomicInteger();
  private final int runsPerFleet;
  private volatile long submitNanos = -1;

  DecisionLatencies(int runsPerFleet) {
    if (runsPerFleet < 1) {
      throw new IllegalArgumentException("runsPerFleet must be >= 1, got " + runsPerFleet);
    }
    this.runsPerFleet = runsPerFleet;
  }

  /** Submit is about to be sent: the first wave is timed from here. */
  void submitting(long nanos) {
    submitNanos = nanos;
  }

  /**
   * A worker received a run.
   *
   * @param first whether it is the worker's first run
   * @param waitingSince when the worker sent its last result while runs of its fleet were
   *     pending, or -1
   */
  void assigned(String fleet, boolean first, long waitingSince, long now) {
    assignments.incrementAndGet();
    assignedByFleet.computeIfAbsent(fleet, f -> new AtomicInteger()).incrementAndGet();
    if (first && submitNanos >= 0) {
      firstWave.recordValue(Math.max(0, now - submitNanos));
    } else if (!first && waitingSince >= 0) {
      nextRun.recordValue(Math.max(0, now - waitingSince));
    }
  }

  /** Whether runs of the fleet have not yet reached any worker. */
  boolean runsPending(String fleet) {
    AtomicInteger assigned = assignedByFleet.get(fleet);
    return assigned == null || assigned.get() < runsPerFleet;
  }

  void completed() {
    completions.incrementAndGet();
  }

  int assignments() {
    return assignments.get();
  }

  int completions() {
    return completions.get();
  }

  Histogram firstWave() {
    return firstWave.copy();
  }

  Histogram nextRun() {
    return nextRun.copy();
  }
}

package dev.kvmmp.cli.bench;

import java.util.concurrent.TimeUnit;

/** Sleeping to a point of System.nanoTime(), so that a paced loop does not drift. */
final class Pacing {

  private Pacing() {}

  /** Returns at once when {@code nanos} is past. */
  static void sleepUntil(long nanos, String during) throws TrialException {
    long wait = nanos - System.nanoTime();
    if (wait <= 0) {
      return;
    }
    try {
      TimeUnit.NANOSECONDS.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TrialException("interrupted while " + during, e);
    }
  }
}

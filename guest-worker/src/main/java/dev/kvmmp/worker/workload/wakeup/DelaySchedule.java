package dev.kvmmp.worker.workload.wakeup;

import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Wake-up delays drawn uniformly from [min, max] before the run, from a fixed seed: the
 * signaller's loop makes no Random call, and every run sees the same sequence of delays.
 * Used by one thread.
 */
final class DelaySchedule {

  /** Power of two, so that the index wraps with a mask. */
  static final int LENGTH = 4096;

  private static final long SEED = 0x6b766d6d70L; // "kvmmp"

  private final long[] delaysNanos;
  private int next;

  private DelaySchedule(long[] delaysNanos) {
    this.delaysNanos = delaysNanos;
  }

  static DelaySchedule uniform(Duration min, Duration max) {
    if (min.isNegative() || max.compareTo(min) < 0) {
      throw new IllegalArgumentException("need 0 <= min_delay <= max_delay, got min_delay "
          + min.toNanos() / 1_000 + " us, max_delay " + max.toNanos() / 1_000 + " us");
    }
    SplittableRandom random = new SplittableRandom(SEED);
    long[] delays = new long[LENGTH];
    for (int i = 0; i < LENGTH; i++) {
      delays[i] = random.nextLong(min.toNanos(), max.toNanos() + 1);
    }
    return new DelaySchedule(delays);
  }

  /** The next delay in ns; after {@link #LENGTH} delays the sequence starts over. */
  long nextNanos() {
    return delaysNanos[next++ & (LENGTH - 1)];
  }
}

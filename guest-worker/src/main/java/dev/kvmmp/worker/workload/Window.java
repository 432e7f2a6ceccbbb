package dev.kvmmp.worker.workload;

import com.google.protobuf.util.Durations;
import dev.kvmmp.proto.v1.Run;
import java.time.Duration;

/**
 * How long a run measures: a warm-up, then a window that ends after a duration or after a number
 * of transactions, whichever the spec chose. A counted window still stops at
 * {@link #COUNTED_WINDOW_LIMIT}, so that a stalled workload cannot run forever.
 */
public record Window(Duration warmup, Duration duration, long transactions) {

  /** Longest a counted window may take: the longest a timed one may be. */
  public static final Duration COUNTED_WINDOW_LIMIT = Duration.ofHours(1);

  public static Window of(Run run) {
    Duration warmup = Duration.ofNanos(Durations.toNanos(run.getWarmup()));
    if (run.hasTransactions()) {
      return new Window(warmup, COUNTED_WINDOW_LIMIT, run.getTransactions());
    }
    return new Window(warmup, Duration.ofNanos(Durations.toNanos(run.getDuration())), 0);
  }

  public static Window timed(Duration warmup, Duration duration) {
    return new Window(warmup, duration, 0);
  }

  public boolean counted() {
    return transactions > 0;
  }

  /** The most transactions the window may hold. */
  long transactionLimit() {
    return counted() ? transactions : Long.MAX_VALUE;
  }

  /** The longest the whole run may take, warm-up included. */
  public Duration longest() {
    return warmup.plus(duration);
  }
}

package dev.kvmmp.worker.workload;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.HdrHistogram.Histogram;

/**
 * Drives round trips back to back: a warm-up, then a measured window in which every round trip
 * is recorded in an HdrHistogram (ns, 3 significant digits).
 *
 * <p>One {@code System.nanoTime()} per round trip: each round trip starts where the previous one
 * ended, so the recorded latencies add up to the window exactly and transactions/s equals
 * 1 / mean latency. The loop holds nothing else but the round trip and the record, except a
 * check every {@value #CHECK_EVERY} round trips for cancellation and progress.
 */
public final class ClosedLoop {

  /** Power of two, so the check is a mask. */
  static final int CHECK_EVERY = 1024;

  /** Longest latency the histogram holds: an hour, the longest window a spec may ask for. */
  private static final long HIGHEST_TRACKABLE_NS = Duration.ofHours(1).toNanos();

  private ClosedLoop() {}

  /** What a closed loop measured. */
  public record Measurement(Histogram histogram, long transactions, long warmupTransactions,
      Instant windowStart, long windowNanos) {

    public Instant windowEnd() {
      return windowStart.plusNanos(windowNanos);
    }
  }

  public static Measurement run(RoundTrip roundTrip, Duration warmup, Duration duration,
      RunControl control) throws IOException, WorkloadException {
    control.enterPhase("warmup");
    long warmupTransactions = 0;
    long warmupEnd = System.nanoTime() + warmup.toNanos();
    for (long now = System.nanoTime(); now < warmupEnd; now = System.nanoTime()) {
      roundTrip.once();
      if ((++warmupTransactions & (CHECK_EVERY - 1)) == 0) {
        checkIn(control, warmupTransactions);
      }
    }

    Histogram histogram = new Histogram(HIGHEST_TRACKABLE_NS, 3);
    control.enterPhase("measure");
    Instant windowStart = Instant.now();
    long start = System.nanoTime();
    long deadline = start + duration.toNanos();
    long transactions = 0;
    long end = start;
    while (end < deadline) {
      long begin = end;
      roundTrip.once();
      end = System.nanoTime();
      histogram.recordValue(end - begin);
      if ((++transactions & (CHECK_EVERY - 1)) == 0) {
        checkIn(control, transactions);
      }
    }
    control.transactionsSoFar(transactions);
    return new Measurement(histogram, transactions, warmupTransactions, windowStart, end - start);
  }

  private static void checkIn(RunControl control, long transactions) throws WorkloadException {
    control.transactionsSoFar(transactions);
    if (control.cancelled()) {
      throw new WorkloadException("cancelled");
    }
  }
}

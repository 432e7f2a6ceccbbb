package dev.kvmmp.worker.workload;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.HdrHistogram.Histogram;

/**
 * Drives transactions back to back: a warm-up, then a measured window in which every
 * transaction is recorded in an HdrHistogram (ns, 3 significant digits).
 *
 * <p>For round trips, one {@code System.nanoTime()} per transaction: each starts where the
 * previous one ended, so the recorded latencies add up to the window exactly and transactions/s
 * equals 1 / mean latency. The loop holds nothing but the transaction and the record, except a
 * check every 10 ms for cancellation and progress: by time, so that a cancel is as prompt for
 * millisecond transactions (a wakeup with long delays, or any workload on a loaded vCPU) as for
 * microsecond ones.
 */
public final class ClosedLoop {

  static final long CHECK_EVERY_NS = Duration.ofMillis(10).toNanos();

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

  /** Times round trips from the outside: each one's latency is the time between its ends. */
  public static Measurement run(RoundTrip roundTrip, Window window, RunControl control,
      WindowObserver observer) throws IOException, WorkloadException {
    OpenWindow open = OpenWindow.afterWarmUp(roundTrip::once, window, control, observer);
    Histogram histogram = open.histogram();
    long deadline = open.deadline();
    long limit = open.limit();
    long transactions = 0;
    long end = open.start();
    long nextCheck = end + CHECK_EVERY_NS;
    while (end < deadline && transactions < limit) {
      long begin = end;
      roundTrip.once();
      end = System.nanoTime();
      histogram.recordValue(end - begin);
      transactions++;
      if (end >= nextCheck) {
        checkIn(control, transactions);
        nextCheck = end + CHECK_EVERY_NS;
      }
    }
    return open.close(transactions, end, control, observer);
  }

  /** Records the latency each transaction reports of itself. */
  public static Measurement run(SelfTimed transaction, Window window, RunControl control,
      WindowObserver observer) throws IOException, WorkloadException {
    OpenWindow open = OpenWindow.afterWarmUp(transaction::once, window, control, observer);
    Histogram histogram = open.histogram();
    long deadline = open.deadline();
    long limit = open.limit();
    long transactions = 0;
    long end = open.start();
    long nextCheck = end + CHECK_EVERY_NS;
    while (end < deadline && transactions < limit) {
      histogram.recordValue(transaction.once());
      end = System.nanoTime();
      transactions++;
      if (end >= nextCheck) {
        checkIn(control, transactions);
        nextCheck = end + CHECK_EVERY_NS;
      }
    }
    return open.close(transactions, end, control, observer);
  }

  /**
   * What both loops do around their measured window, kept in one place so that they open and
   * close it alike. The loops copy what they need into locals first: inside a loop there is
   * nothing but the transaction, the clock and the record.
   */
  private record OpenWindow(Histogram histogram, long warmupTransactions, Instant windowStart,
      long start, long deadline, long limit) {

    /** Warms up, then opens the window; the observer's and the control's work fall before it. */
    static OpenWindow afterWarmUp(Step step, Window window, RunControl control,
        WindowObserver observer) throws IOException, WorkloadException {
      long warmupTransactions = warmUp(step, window, control);
      Histogram histogram = new Histogram(HIGHEST_TRACKABLE_NS, 3);
      observer.windowOpens();
      // The observer may have waited (for the coordinator's go): a cancel meanwhile ends the
      // run here, before a window that may be shorter than the checks' interval.
      checkIn(control, 0);
      control.enterPhase("measure");
      Instant windowStart = Instant.now();
      long start = System.nanoTime();
      return new OpenWindow(histogram, warmupTransactions, windowStart, start,
          start + window.duration().toNanos(), window.transactionLimit());
    }

    /** @param end when the last transaction ended, on the clock that {@code start} is on */
    Measurement close(long transactions, long end, RunControl control, WindowObserver observer) {
      observer.windowClosed();
      control.transactionsSoFar(transactions);
      return new Measurement(histogram, transactions, warmupTransactions, windowStart,
          end - start);
    }
  }

  private interface Step {
    void once() throws IOException;
  }

  private static long warmUp(Step step, Window window, RunControl control)
      throws IOException, WorkloadException {
    control.enterPhase("warmup");
    long transactions = 0;
    long now = System.nanoTime();
    long warmupEnd = now + window.warmup().toNanos();
    long nextCheck = now + CHECK_EVERY_NS;
    // Checked once before the first transaction: a run cancelled before it started fails at once.
    checkIn(control, 0);
    while (now < warmupEnd) {
      step.once();
      now = System.nanoTime();
      transactions++;
      if (now >= nextCheck) {
        checkIn(control, transactions);
        nextCheck = now + CHECK_EVERY_NS;
      }
    }
    return transactions;
  }

  private static void checkIn(RunControl control, long transactions) throws WorkloadException {
    control.transactionsSoFar(transactions);
    if (control.cancelled()) {
      throw new WorkloadException("cancelled");
    }
  }
}

package dev.kvmmp.cli.bench;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/** Tells the person waiting which trial is running, of how many, and how long it has been. */
final class Progress {

  private final PrintWriter err;
  private final LongSupplier nanoTime;
  private long startNanos;
  private int total;
  private int started;

  Progress(PrintWriter err, LongSupplier nanoTime) {
    this.err = err;
    this.nanoTime = nanoTime;
  }

  void start(int totalTrials) {
    total = totalTrials;
    started = 0;
    startNanos = nanoTime.getAsLong();
  }

  void trial(String description) {
    started++;
    err.printf(Locale.ROOT, "fidelity: trial %d/%d, %s elapsed: %s%n", started, total, elapsed(),
        description);
    err.flush();
  }

  /** Counts trials that will not run (their row failed) as done, so the total stays true. */
  void skip(int trials) {
    started += trials;
  }

  void note(String message) {
    err.println("fidelity: " + message);
    err.flush();
  }

  void done() {
    err.println("fidelity: done in " + elapsed());
    err.flush();
  }

  private String elapsed() {
    long seconds = TimeUnit.NANOSECONDS.toSeconds(nanoTime.getAsLong() - startNanos);
    return String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
  }
}

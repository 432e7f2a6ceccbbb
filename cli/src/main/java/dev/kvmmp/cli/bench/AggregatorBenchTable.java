package dev.kvmmp.cli.bench;

import java.io.PrintWriter;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/** The table {@code kvmmp bench aggregator} prints, and its goal line. */
final class AggregatorBenchTable {

  /** Issue 8's goal: keeps up in real time, end-to-end lag p99 at most 2 s. */
  static final double LAG_GOAL_SECONDS = 2;
  /** The input rate counts as achieved within this share of the target. */
  static final double INPUT_SHARE = 0.95;
  private static final double MIB = 1 << 20;
  private static final int MACHINE_CORES = Runtime.getRuntime().availableProcessors();

  private AggregatorBenchTable() {}

  static void print(AggregatorBenchReport r, PrintWriter out) {
    AggregatorBenchSetup s = r.setup();
    out.printf(Locale.ROOT, "%d hosts x %d VMs at 1 Hz + %d bracketed runs/s for %d s (after %d "
            + "s of warm-up); broker and aggregator each in a JVM of its own, generator in this "
            + "one%n%n", s.hosts(), s.vms(), s.runsPerSecond(), s.seconds(), s.warmupSeconds());
    out.printf(Locale.ROOT, "%-28s %12s %12s%n", "rate", "records/s", "MB/s");
    out.printf(Locale.ROOT, "%-28s %12d %12s%n", "input target", s.targetSamplesPerSecond(), "");
    out.printf(Locale.ROOT, "%-28s %12.0f %12.1f%n", "input achieved", r.inputPerSecond(),
        r.bytesSent() / 1e6 / Math.max(r.seconds(), 1e-9));
    out.printf(Locale.ROOT, "%-28s %12.0f %12s%n", "aggregator processed", r.processedPerSecond(),
        "");
    out.println();
    out.printf(Locale.ROOT, "%-28s %d records (%.1f s) at the end, peak %d (%.1f s); %s%n",
        "consumer lag", r.lagAtEnd(), r.lagSeconds(r.lagAtEnd()), r.peakLag(),
        r.lagSeconds(r.peakLag()), r.drainNanos() < 0
            ? "NOT caught up " + AggregatorBench.DRAIN.toSeconds() + " s after the input stopped"
            : String.format(Locale.ROOT, "caught up %.1f s after the input stopped",
                r.drainNanos() / 1e9));
    Histogram lags = r.endToEnd();
    out.printf(Locale.ROOT, "%-28s %d of %d runs reported; p50 %s, p99 %s, max %s%n",
        "end-to-end lag", lags.getTotalCount(), r.runsSent(), seconds(lags, 50),
        seconds(lags, 99), lags.getTotalCount() == 0 ? "-"
            : String.format(Locale.ROOT, "%.2f s", lags.getMaxValue() / 1e9));
    cpuLine("aggregator CPU", r, r.cpu().aggregatorNanos(), out);
    cpuLine("broker CPU", r, r.cpu().brokerNanos(), out);
    cpuLine("generator CPU (this JVM)", r, r.cpu().generatorNanos(), out);
    out.printf(Locale.ROOT, "%-28s aggregator %.0f MiB, broker %.0f MiB%n", "peak RSS",
        r.aggregatorPeakRssBytes() / MIB, r.brokerPeakRssBytes() / MIB);
    out.println();
    out.println("Input: host samples (periodic and tagged) the broker acknowledged, uncompressed"
        + " size. Processed: the advance of group kvmmp-aggregator's committed offsets on"
        + " kvmmp.host-samples; lag in s = records behind / target input rate. End-to-end: from"
        + " sending a run's ended Run (after its four tagged snapshots) to reading its report on"
        + " kvmmp.run-reports read_committed. CPU: utime+stime from /proc/PID/stat over the"
        + " publishing window, on a machine of " + MACHINE_CORES + " cores.");
    out.println(verdict(r));
  }

  /** The goal line, with what limits when the goal is not met. */
  static String verdict(AggregatorBenchReport r) {
    boolean met = met(r);
    boolean inputOk = r.inputPerSecond() >= INPUT_SHARE * r.setup().targetSamplesPerSecond();
    boolean keepsUp = r.lagSeconds(r.lagAtEnd()) <= LAG_GOAL_SECONDS && r.drainNanos() >= 0;
    Histogram lags = r.endToEnd();
    boolean allReported = r.runsSent() > 0 && lags.getTotalCount() == r.runsSent();
    String line = String.format(Locale.ROOT, "Goal: keeps up in real time with end-to-end lag "
            + "p99 <= %.0f s at %d hosts x %d VMs: %s (input %s, consumer %s, p99 %s%s).",
        LAG_GOAL_SECONDS, r.setup().hosts(), r.setup().vms(), met ? "met" : "NOT met",
        inputOk ? "at the target rate" : "below the target rate",
        keepsUp ? "keeps up" : "falls behind", seconds(lags, 99),
        allReported ? "" : ", not every run reported");
    return met ? line : line + " Limit: " + limit(r, inputOk, keepsUp);
  }

  /** Input at the target rate, the consumer caught up within the goal, every run's lag in it. */
  static boolean met(AggregatorBenchReport r) {
    Histogram lags = r.endToEnd();
    return r.inputPerSecond() >= INPUT_SHARE * r.setup().targetSamplesPerSecond()
        && r.lagSeconds(r.lagAtEnd()) <= LAG_GOAL_SECONDS && r.drainNanos() >= 0
        && r.runsSent() > 0 && lags.getTotalCount() == r.runsSent()
        && lags.getValueAtPercentile(99) / 1e9 <= LAG_GOAL_SECONDS;
  }

  private static String limit(AggregatorBenchReport r, boolean inputOk, boolean keepsUp) {
    AggregatorBenchReport.Cpu cpu = r.cpu();
    double total = r.cores(cpu.aggregatorNanos() + cpu.brokerNanos() + cpu.generatorNanos());
    String cores = String.format(Locale.ROOT, "the three JVMs used %.2f of %d cores "
            + "(aggregator %.2f, broker %.2f, generator %.2f)", total, MACHINE_CORES,
        r.cores(cpu.aggregatorNanos()), r.cores(cpu.brokerNanos()),
        r.cores(cpu.generatorNanos()));
    String cpuBound = total >= 0.85 * MACHINE_CORES ? "CPU-bound: " : "not CPU-bound: ";
    if (!inputOk) {
      return "the generator and broker could not publish the target rate; " + cpuBound + cores
          + ".";
    }
    if (!keepsUp) {
      return String.format(Locale.ROOT, "the aggregator consumes %.0f of %.0f records/s; ",
          r.processedPerSecond(), r.inputPerSecond()) + cpuBound + cores + ".";
    }
    return String.format(Locale.ROOT, "the aggregator keeps up on average but not at every "
        + "moment: its consumer lag peaked at %.1f s of input; ", r.lagSeconds(r.peakLag()))
        + cpuBound + cores + ".";
  }

  private static void cpuLine(String label, AggregatorBenchReport r, long nanos, PrintWriter out) {
    out.printf(Locale.ROOT, "%-28s %.1f s in %.1f s = %.2f cores%n", label, nanos / 1e9,
        r.seconds(), r.cores(nanos));
  }

  private static String seconds(Histogram lags, double percentile) {
    return lags.getTotalCount() == 0 ? "-"
        : String.format(Locale.ROOT, "%.2f s", lags.getValueAtPercentile(percentile) / 1e9);
  }
}

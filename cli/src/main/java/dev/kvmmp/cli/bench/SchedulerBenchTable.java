package dev.kvmmp.cli.bench;

import dev.kvmmp.cli.bench.SchedulerBenchReport.CoordinatorCost;
import dev.kvmmp.cli.bench.SchedulerBenchReport.Outcome;
import dev.kvmmp.cli.bench.SchedulerBenchReport.Setup;
import java.io.PrintWriter;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/** The table {@code kvmmp bench scheduler} prints: decision latencies, then the costs. */
final class SchedulerBenchTable {

  /** The goals of issue 7's scale benchmark. */
  static final double P99_GOAL_MILLIS = 10;
  static final long HEAP_GOAL_BYTES = 512L << 20;

  private static final String HEADER = "%-34s %7s %9s %9s %9s%n";
  private static final String LINE = "%-34s %7d %9.2f %9.2f %9.2f%n";
  private static final double MIB = 1 << 20;
  private static final double NANOS_PER_SECOND = 1e9;

  private SchedulerBenchTable() {}

  static void print(SchedulerBenchReport report, PrintWriter out) {
    Setup setup = report.setup();
    Outcome outcome = report.outcome();
    CoordinatorCost cost = report.cost();
    SchedulerExperiment experiment = setup.experiment();
    out.printf(Locale.ROOT, "%d simulated workers over %d gRPC connections; %d runs of %d ms "
            + "(%d workload(s) x %d fleets x %d repetitions); coordinator -Xmx%s%s%n",
        setup.workers(), setup.channels(), experiment.totalRuns(), setup.runMillis(),
        experiment.workloads(), SchedulerExperiment.FLEETS.size(), experiment.repetitions(),
        setup.maxHeap(), setup.coordinatorOptions().isEmpty() ? ""
            : " " + String.join(" ", setup.coordinatorOptions()));
    out.println();
    out.printf(Locale.ROOT, HEADER, "scheduling decision", "count", "p50 ms", "p99 ms",
        "max ms");
    latencyLine("first wave (Submit -> 1st run)", report.firstWave(), out);
    latencyLine("next run (result -> next run)", report.nextRun(), out);
    CoordinatorDecisions inside = report.inside();
    timerLine("one decision (coordinator)", inside, out);
    timerLine("event -> assignment (coordinator)", report.delay(), out);
    out.println();
    double measuredSeconds = outcome.measuredNanos() / NANOS_PER_SECOND;
    out.printf(Locale.ROOT, "%-16s %d workers in %.1f s%n", "registration", setup.workers(),
        outcome.registrationNanos() / NANOS_PER_SECOND);
    out.printf(Locale.ROOT, "%-16s %d/%d succeeded, %d failed, %d cancelled in %.1f s: %.1f runs/s;"
            + " experiment %s; Submit answered in %.1f ms%n", "runs", outcome.succeeded(),
        experiment.totalRuns(), outcome.failed(), outcome.cancelled(), measuredSeconds,
        outcome.done() / Math.max(measuredSeconds, 1e-9), outcome.state(),
        outcome.submitNanos() / 1e6);
    cpuLine("coordinator CPU", cost.cpuNanos(), outcome.measuredNanos(), out);
    cpuLine("workers' CPU", outcome.workersCpuNanos(), outcome.measuredNanos(), out);
    out.printf(Locale.ROOT, "%-16s %.1f MiB with the workers registered, %.1f MiB at the end%n",
        "heap after GC", cost.heapRegistered().usedBytes() / MIB,
        cost.heapEnd().usedBytes() / MIB);
    out.printf(Locale.ROOT, "%-16s %.1f MiB used, %.1f MiB committed; %d young, %d full GCs, "
            + "%.2f s of GC%n", "heap peak", cost.peakUsedBytes() / MIB,
        cost.peakCommittedBytes() / MIB, cost.youngGcs(), cost.fullGcs(), cost.gcSeconds());
    out.printf(Locale.ROOT, "%-16s %.1f MiB%n", "peak RSS", cost.peakRssBytes() / MIB);
    if (outcome.lostWorkers() > 0) {
      out.printf(Locale.ROOT, "%-16s %d streams ended before the bench closed them, e.g. %s%n",
          "lost workers", outcome.lostWorkers(), outcome.firstLoss());
    }
    out.println();
    out.println("First wave: from sending Submit to each worker's first AssignRun, a burst of one"
        + " decision per worker. Next run: from sending RunCompleted to the same worker's next"
        + " AssignRun, while its fleet had runs not yet assigned (" + outcome.waitingWorkers()
        + " such waits were still open at the end: near the end another worker takes the last"
        + " runs; in an unfinished run the coordinator never answered).");
    out.println("Latency as the workers see it: gRPC on loopback, the workers' own threads"
        + " included; workers and coordinator share this machine's CPUs. The coordinator's"
        + " own timers (its /metrics; p50/p99 are the upper edges of their histogram buckets):"
        + " one decision, from looking for a run's place to the run assigned there (bookkeeping"
        + " and the send included); event -> assignment, from the event that frees a place (a"
        + " result, a registration, a submission) to the assignment that fills it, which in a"
        + " burst includes the decisions before it.");
    out.println("CPU: utime+stime of the coordinator's JVM and of this one, the simulated workers'"
        + " (/proc/PID/stat), from Submit to the experiment's end. Heap after GC: jcmd PID GC.run"
        + " (a full GC), then jstat -gc S0U+S1U+EU+OU; peak: jstat -gc once a second during the runs (committed:"
        + " S0C+S1C+EC+OC); peak RSS: VmHWM in /proc/PID/status.");
    out.println(verdict(report));
  }

  /**
   * The goal line: p99 judged on the coordinator's own decisions, one at a time (what a
   * scheduler reports as its decision latency, like Kubernetes' scheduling algorithm duration);
   * the delay after an event and the workers' view, which add bursts, transport and this shared
   * machine's queueing, are printed beside it. Heap on the live set at the end.
   */
  static String verdict(SchedulerBenchReport report) {
    double p99 = report.inside().p99Seconds() * 1e3;
    long heap = report.cost().heapEnd().usedBytes();
    String unfinished = report.outcome().finished() ? ""
        : String.format(Locale.ROOT, " Experiment NOT finished (%s): %d of %d runs done.",
            report.outcome().state(), report.outcome().done(),
            report.setup().experiment().totalRuns());
    return String.format(Locale.ROOT, "Goal: decision p99 <= %.0f ms: %s (one decision in the "
            + "coordinator p99 %.2f ms over %d decisions; NOT counted: event -> assignment p99 "
            + "%.2f ms; as the workers see it: next run p99 %.2f ms, first wave p99 %.2f ms); "
            + "heap <= %d MiB: %s (%.1f MiB live after a full GC at the end, peak %.1f MiB "
            + "used).%s", P99_GOAL_MILLIS,
        report.inside().count() > 0 && p99 <= P99_GOAL_MILLIS ? "met" : "NOT met", p99,
        report.inside().count(), report.delay().p99Seconds() * 1e3,
        millis(report.nextRun(), 99), millis(report.firstWave(), 99),
        HEAP_GOAL_BYTES >> 20,
        heap <= HEAP_GOAL_BYTES ? "met" : "NOT met", heap / MIB,
        report.cost().peakUsedBytes() / MIB, unfinished);
  }

  private static void timerLine(String label, CoordinatorDecisions timer, PrintWriter out) {
    out.printf(Locale.ROOT, LINE, label, timer.count(), timer.p50Seconds() * 1e3,
        timer.p99Seconds() * 1e3, timer.maxSeconds() * 1e3);
  }

  private static void cpuLine(String label, long cpuNanos, long windowNanos, PrintWriter out) {
    out.printf(Locale.ROOT, "%-16s %.2f s in %.1f s = %.2f cores%n", label,
        cpuNanos / NANOS_PER_SECOND, windowNanos / NANOS_PER_SECOND,
        cpuNanos / (double) Math.max(windowNanos, 1));
  }

  private static void latencyLine(String label, Histogram histogram, PrintWriter out) {
    if (histogram.getTotalCount() == 0) {
      out.printf(Locale.ROOT, "%-34s %7d %9s %9s %9s%n", label, 0, "-", "-", "-");
      return;
    }
    out.printf(Locale.ROOT, LINE, label, histogram.getTotalCount(), millis(histogram, 50),
        millis(histogram, 99), histogram.getMaxValue() / 1e6);
  }

  private static double millis(Histogram histogram, double percentile) {
    return histogram.getTotalCount() == 0 ? 0
        : histogram.getValueAtPercentile(percentile) / 1e6;
  }
}

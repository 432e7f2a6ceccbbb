package dev.kvmmp.cli.bench;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The table {@code kvmmp bench probe} prints: one row per probe run, then what was counted. */
final class ProbeBenchTable {

  /** The speed goal of the host-probe issue: at most this much of one core, at 1 Hz, 50 VMs. */
  static final double CPU_GOAL_PERCENT = 1.0;
  static final int GOAL_VMS = 50;
  static final Duration GOAL_INTERVAL = Duration.ofSeconds(1);

  /** One line: a run, or why there is none. */
  record Row(String source, int vms, Optional<ProbeRun> run, String note) {}

  private static final String HEADER = "%-16s %4s %7s %8s %8s %8s %9s %9s %4s %8s %7s%n";
  private static final String LINE = "%-16s %4d %7d %8.2f %8.2f %8.2f %9.2f %9.2f %4d %8d %7d%n";

  private ProbeBenchTable() {}

  static void print(List<Row> rows, Duration interval, Duration warmup, PrintWriter out) {
    out.printf(Locale.ROOT, HEADER, "source", "VMs", "samples", "p50 ms", "p99 ms", "max ms",
        "CPU %core", "sampler %", "GCs", "bytes", "missing");
    for (Row row : rows) {
      if (row.run().isEmpty()) {
        out.printf(Locale.ROOT, "%-16s %4d  %s%n", row.source(), row.vms(), row.note());
        continue;
      }
      ProbeRun run = row.run().get();
      out.printf(Locale.ROOT, LINE, row.source(), run.vms(), run.sampleNanos().size(),
          run.sampleMillis(0.5), run.sampleMillis(0.99), run.sampleMillis(1.0),
          run.processCpuPercent(), run.samplerCpuPercent(), run.gcCount(), run.sampleBytes(),
          run.missing());
      if (!run.firstMissing().isEmpty()) {
        out.println("  first missing counter: " + run.firstMissing());
      }
    }
    out.println();
    out.printf(Locale.ROOT, "Samples every %s after %s of back-to-back warm-up samples, each "
        + "probe in a JVM of its own.%n", interval, warmup);
    out.println("CPU %core: utime+stime of the probe's JVM (/proc/<pid>/stat: every thread -"
        + " sampling, GC, JIT, JVM housekeeping) over the measured window, per wall second.");
    out.println("  Not counted: the simulated VMs' QMP server and vCPU threads (the bench's"
        + " process), QEMU's own work answering query-stats.");
    out.println("sampler %: CPU of the sampling thread alone. bytes: one serialized HostSample."
        + " missing: counters reported missing over all samples.");
    out.println("Native peer: none on this host. kvm_stat (linux tools/kvm/kvm_stat) reads KVM's"
        + " debugfs, which kernel lockdown closes (EPERM), and its tracepoint mode counts"
        + " kvm:kvm_exit, which never fires under this nested KVM.");
    verdict(rows, interval).ifPresent(out::println);
  }

  /**
   * Whether the goal is met, judged on the median CPU of the runs that measured what the
   * goal is about (simulated VMs, at least 50, at 1 Hz); empty when none did.
   */
  static Optional<String> verdict(List<Row> rows, Duration interval) {
    if (!interval.equals(GOAL_INTERVAL)) {
      return Optional.empty();
    }
    List<ProbeRun> runs = rows.stream()
        .filter(r -> r.run().isPresent() && r.vms() >= GOAL_VMS && r.source().startsWith("sim"))
        .map(r -> r.run().get())
        .toList();
    if (runs.isEmpty()) {
      return Optional.empty();
    }
    List<Double> cpu = runs.stream().map(ProbeRun::processCpuPercent).sorted().toList();
    double median = RatioSummary.median(cpu);
    double slowest = runs.stream().mapToDouble(r -> r.sampleMillis(1.0)).max().orElseThrow();
    return Optional.of(String.format(Locale.ROOT, "Goal: <= %.0f%% of one core for %d VMs at 1 Hz:"
        + " %s (median %.2f%% over %d run(s) with %d VMs, %.2f-%.2f%%); one sample took at most"
        + " %.1f ms.", CPU_GOAL_PERCENT, GOAL_VMS, median <= CPU_GOAL_PERCENT ? "met" : "NOT met",
        median, cpu.size(), runs.get(0).vms(), cpu.get(0), cpu.get(cpu.size() - 1), slowest));
  }
}

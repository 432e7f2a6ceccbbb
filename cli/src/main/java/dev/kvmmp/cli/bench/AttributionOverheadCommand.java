package dev.kvmmp.cli.bench;

import dev.kvmmp.proto.v1.TcpRr;
import dev.kvmmp.proto.v1.Workload;
import dev.kvmmp.worker.workload.Workloads;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Does counting exit causes move the latency it explains? tcp_rr with counting on and off,
 * alternating on, off, on, off, in both placements; the ratio of p50s, on/off.
 */
@Command(name = "attribution", mixinStandardHelpOptions = true,
    description = "Measure what counting exit-causing events costs: tcp_rr with counting on and "
        + "off, interleaved, and the p50 ratio on/off (goal: at most 1.02).")
final class AttributionOverheadCommand implements Callable<Integer> {

  @Option(names = "--repetitions", defaultValue = "5", paramLabel = "N",
      description = "Trials of each side per placement (default: ${DEFAULT-VALUE}).")
  int repetitions;

  @Option(names = "--seconds", defaultValue = "3", paramLabel = "S",
      description = "Measured seconds per trial, after 1 s of warm-up (default: ${DEFAULT-VALUE}).")
  int seconds;

  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = command.commandLine().getOut();
    PrintWriter err = command.commandLine().getErr();
    if (repetitions < 1 || repetitions > 1000 || seconds < 1 || seconds > 600) {
      err.printf("kvmmp bench attribution: --repetitions %d (1-1000) or --seconds %d (1-600) "
          + "out of range%n", repetitions, seconds);
      return 2;
    }
    long started = System.nanoTime();
    try (InProcessKvmmpSide counting = new InProcessKvmmpSide(Workloads.all(), true);
        InProcessKvmmpSide plain = new InProcessKvmmpSide(Workloads.all(), false)) {
      out.printf(Locale.ROOT, "%-10s %12s %12s %12s %12s %7s %-11s %6s%n", "placement",
          "p50 on us", "p50 off us", "p99 on us", "p99 off us", "ratio", "min-max", "trials");
      for (BenchPlacement placement : BenchPlacement.values()) {
        Workload workload = Workload.newBuilder()
            .setTcpRr(TcpRr.newBuilder().setRequestBytes(1).setResponseBytes(1))
            .setPlacement(placement.proto())
            .addAllCpus(placement.cpus())
            .build();
        List<Figures> on = new ArrayList<>();
        List<Figures> off = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < repetitions; i++) {
          err.printf(Locale.ROOT, "attribution: %s trial %d/%d, %d s elapsed%n", placement.label(),
              i + 1, repetitions, (System.nanoTime() - started) / 1_000_000_000L);
          Duration window = Duration.ofSeconds(seconds);
          on.add(counting.run("overhead-on-" + i, workload, window));
          off.add(plain.run("overhead-off-" + i, workload, window));
          ratios.add(p50(on.get(i)) / p50(off.get(i)));
        }
        RatioSummary ratio = RatioSummary.of(ratios);
        out.printf(Locale.ROOT, "%-10s %12.2f %12.2f %12.2f %12.2f %7.3f %-11s %6d%n",
            placement.label(), median(on, true), median(off, true), median(on, false),
            median(off, false), ratio.median(),
            String.format(Locale.ROOT, "%.2f-%.2f", ratio.min(), ratio.max()), ratio.trials());
        out.flush();
      }
    }
    out.println();
    out.println("ratio: p50 with counting / p50 without, median over alternating trials; "
        + "tcp_rr 1-byte, threads.");
    return 0;
  }

  private static double p50(Figures figures) {
    return figures.p50Us().orElseThrow();
  }

  private static double median(List<Figures> trials, boolean p50) {
    return RatioSummary.median(trials.stream()
        .map(f -> (p50 ? f.p50Us() : f.p99Us()).orElseThrow()).toList());
  }
}

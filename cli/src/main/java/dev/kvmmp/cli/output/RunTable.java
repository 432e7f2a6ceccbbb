package dev.kvmmp.cli.output;

import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunState;
import dev.kvmmp.proto.v1.Workload;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** Prints one line per run: latency figures for runs that succeeded, the reason for the others. */
public final class RunTable {

  private static final String HEADER_FORMAT =
      "%-16s %-10s %-12s %-12s %-4s %-9s %12s %10s %9s %9s %9s %9s %9s%n";
  private static final String ROW_FORMAT =
      "%-16s %-10s %-12s %-12s %-4d %-9s %,12d %,10.0f %9.1f %9.1f %9.1f %9.1f %9.1f%n";

  private RunTable() {}

  public static void print(List<Run> runs, PrintWriter out) {
    out.printf(Locale.ROOT, HEADER_FORMAT, "run", "fleet", "workload", "placement", "rep",
        "state",
        "transactions", "tx/s", "mean us", "p50 us", "p90 us", "p99 us", "p99.9 us");
    for (Run run : runs) {
      String workload = run.getWorkload().getName();
      String placement = placement(run.getWorkload());
      String state = stateName(run.getState());
      if (run.getState() == RunState.RUN_STATE_SUCCEEDED) {
        LatencySummary s = LatencySummary.of(run.getResult());
        out.printf(Locale.ROOT, ROW_FORMAT, shortId(run), run.getFleet(), workload, placement,
            run.getRepetition(), state, s.transactions(), s.transactionsPerSecond(), s.meanUs(),
            s.p50Us(), s.p90Us(), s.p99Us(), s.p999Us());
      } else {
        out.printf(Locale.ROOT, "%-16s %-10s %-12s %-12s %-4d %-9s %s%n", shortId(run),
            run.getFleet(), workload, placement, run.getRepetition(), state, run.getReason());
      }
    }
  }

  /** The placement a run asked for, e.g. "cross 0,1"; the vCPUs default to 0 (and 1). */
  static String placement(Workload workload) {
    String cpus = workload.getCpusList().stream().map(String::valueOf)
        .collect(Collectors.joining(","));
    return switch (workload.getPlacement()) {
      case PLACEMENT_SAME_CPU -> "same " + (cpus.isEmpty() ? "0" : cpus);
      case PLACEMENT_CROSS_CPU -> "cross " + (cpus.isEmpty() ? "0,1" : cpus);
      default -> "unpinned";
    };
  }

  public static String stateName(RunState state) {
    return state.name().substring("RUN_STATE_".length()).toLowerCase(Locale.ROOT);
  }

  private static String shortId(Run run) {
    return run.getId();
  }
}

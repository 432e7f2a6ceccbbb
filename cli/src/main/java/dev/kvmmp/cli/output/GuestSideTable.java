package dev.kvmmp.cli.output;

import dev.kvmmp.proto.v1.GuestDeltas;
import dev.kvmmp.proto.v1.PlacementCheck;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunResult;
import dev.kvmmp.proto.v1.RunState;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What the guest saw during each run, per transaction: timer interrupts (LOC), rescheduling and
 * function-call IPIs received (RES, CAL), context switches of the run's tasks, the worker's CPU
 * time and steal time; and where the run's sides ran.
 */
public final class GuestSideTable {

  private static final String HEADER = "%-16s %8s %8s %8s %8s %9s %9s  %s%n";
  private static final String ROW = "%-16s %8.3f %8.3f %8.3f %8.3f %9.2f %9.3f  %s%n";

  private GuestSideTable() {}

  public static void print(List<Run> runs, PrintWriter out) {
    List<Run> measured = runs.stream()
        .filter(r -> r.getState() == RunState.RUN_STATE_SUCCEEDED)
        .toList();
    if (measured.isEmpty()) {
      return;
    }
    out.println();
    out.println("per transaction, guest side:");
    out.printf(Locale.ROOT, HEADER, "run", "LOC", "RES", "CAL", "ctxsw", "cpu us", "steal us",
        "placement");
    for (Run run : measured) {
      RunResult result = run.getResult();
      GuestDeltas d = result.getGuestDeltas();
      double tx = result.getTransactions();
      out.printf(Locale.ROOT, ROW, run.getId(),
          d.getLocalTimerInterrupts() / tx, d.getRescheduleIpis() / tx,
          d.getCallFunctionIpis() / tx, d.getContextSwitches() / tx,
          d.getWorkerCpuNs() / tx / 1e3, d.getStealNs() / tx / 1e3,
          placement(result.getPlacement()));
    }
    explanations(measured, out);
  }

  /** Each run's explanation in words, and its knobs with whether they acted. */
  private static void explanations(List<Run> runs, PrintWriter out) {
    if (runs.stream().allMatch(r -> r.getResult().getExplanation().isEmpty()
        && r.getResult().getKnobs().getValuesCount() == 0)) {
      return;
    }
    out.println();
    out.println("what the guest counted:");
    for (Run run : runs) {
      RunResult result = run.getResult();
      out.printf(Locale.ROOT, "%-16s %s%n", run.getId(), result.getExplanation());
      if (result.getKnobs().getValuesCount() > 0) {
        out.printf(Locale.ROOT, "%-16s knobs: %s%n", "", result.getKnobs().getValuesList()
            .stream().map(v -> v.getName() + "=" + v.getValue())
            .collect(Collectors.joining(", ")));
        for (String verdict : result.getKnobs().getVerdictsList()) {
          out.printf(Locale.ROOT, "%-16s   %s%n", "", verdict);
        }
      }
    }
  }

  static String placement(PlacementCheck check) {
    String where = switch (check.getPlacement()) {
      case PLACEMENT_SAME_CPU -> "same-cpu " + check.getClientCpu();
      case PLACEMENT_CROSS_CPU -> "cross-cpu " + check.getClientCpu() + "->"
          + check.getServerCpu();
      default -> "unpinned";
    };
    return where + (check.getVerified() ? "" : " NOT VERIFIED: " + check.getDetail());
  }
}

package dev.kvmmp.cli.reproduce;

import static dev.kvmmp.proto.v1.Placement.PLACEMENT_CROSS_CPU;

import dev.kvmmp.proto.v1.Fleet;
import dev.kvmmp.spec.WorkloadKinds;
import java.util.Map;

/**
 * Finding F3 from inside the guest: cross-vCPU p50 with the guest polling before it halts
 * (guest_halt_poll_ns) against without, per workload, and the CPU the polling burns.
 */
final class GuestPollingFindings {

  static final String COST_PLOT = "F3(a) guest halt polling: p50 against CPU polled per "
      + "transaction";
  private static final Map<String, String> TALK = Map.of(
      "tcp_rr", "10-15 us less, of ~25",
      "memcache", "~1.5x faster (0.67x)",
      "condvar", "~half (0.5x)");

  private GuestPollingFindings() {}

  static void analyze(SeedOutcome outcome, FindingsCollector found) {
    Fleet off = outcome.spec().getFleets(0);
    Fleet on = outcome.spec().getFleets(1);
    for (String kind : PlacementFindings.KINDS) {
      RunGroup offRuns = RunGroup.of(outcome, RunKinds.of(kind, PLACEMENT_CROSS_CPU,
          off.getName()));
      RunGroup onRuns = RunGroup.of(outcome, RunKinds.of(kind, PLACEMENT_CROSS_CPU,
          on.getName()));
      FindingRow row = FleetRows.row("F3", kind + " cross p50, guest poll " + FleetSettings.pollUs(on)
          + " / " + FleetSettings.pollUs(off), TALK.get(kind), offRuns, onRuns, "polling",
          outcome.comparisonOf(w -> WorkloadKinds.of(w).equals(kind), on.getName()));
      found.row(FleetRows.withMore(row,
          FleetRows.pollCost(onRuns, ReportFigure.GUEST_POLL_NS, "tx")));
      String plot = "F3(a) " + kind + " cross-vCPU: latency with and without guest polling";
      found.cdf(plot, "guest_halt_poll_ns " + FleetSettings.pollNs(off), offRuns);
      found.cdf(plot, "guest_halt_poll_ns " + FleetSettings.pollNs(on), onRuns);
      point(found, kind, off, offRuns);
      point(found, kind, on, onRuns);
    }
  }

  private static void point(FindingsCollector found, String kind, Fleet fleet, RunGroup runs) {
    if (runs.size() > 0) {
      found.polling.add(new PollingPoint(COST_PLOT, kind + " cross-vCPU",
          "guest_halt_poll_ns " + FleetSettings.pollNs(fleet), runs.median(ReportFigure.P50_NS::of) / 1_000,
          runs.median(ReportFigure.GUEST_POLL_NS::of), runs.size()));
    }
  }
}

package dev.kvmmp.cli.reproduce;

import static dev.kvmmp.proto.v1.Placement.PLACEMENT_CROSS_CPU;
import static dev.kvmmp.proto.v1.Placement.PLACEMENT_SAME_CPU;

import dev.kvmmp.proto.v1.Fleet;
import dev.kvmmp.proto.v1.Placement;
import java.util.Optional;

/**
 * Finding F4: a periodic-tick guest against a tickless one, where the fleet has both; where it
 * has not, why, and the mechanism the talk blames (timer MSR writes per transaction, from F2's
 * runs) in its place.
 */
final class TickFindings {

  private static final String TALK = "nohz=off 3-5 us faster";

  private TickFindings() {}

  static void analyze(SeedOutcome tick, Optional<SeedOutcome> placement,
      FindingsCollector found) {
    if (tick.notTestable().isPresent()) {
      found.row(new FindingRow("F4", "tcp_rr cross p50, periodic / tickless", TALK,
          mechanism(placement), "-", Verdict.NOT_TESTABLE, tick.notTestable().get(),
          placement.map(p -> timerRuns(p, PLACEMENT_CROSS_CPU).size()).orElse(0)));
      return;
    }
    Fleet tickless = tick.spec().getFleets(0);
    Fleet periodic = tick.spec().getFleets(1);
    RunGroup ticklessRuns = RunGroup.of(tick, RunKinds.of("tcp_rr", PLACEMENT_CROSS_CPU,
        tickless.getName()));
    RunGroup periodicRuns = RunGroup.of(tick, RunKinds.of("tcp_rr", PLACEMENT_CROSS_CPU,
        periodic.getName()));
    FindingRow row = FleetRows.row("F4", "tcp_rr cross p50, " + periodic.getName() + " / "
        + tickless.getName(), TALK, ticklessRuns, periodicRuns, "periodic tick",
        tick.comparisonOf(w -> true, periodic.getName()));
    found.row(FleetRows.withMore(row, "; timer MSR writes/tx " + Numbers.count(
        periodicRuns.median(ReportFigure.GUEST_TIMER_MSR_WRITES::of)) + " vs " + Numbers.count(
        ticklessRuns.median(ReportFigure.GUEST_TIMER_MSR_WRITES::of))));
    String plot = "F4 tcp_rr cross-vCPU: latency, tickless vs periodic tick";
    found.cdf(plot, tickless.getName(), ticklessRuns);
    found.cdf(plot, periodic.getName(), periodicRuns);
  }

  /** The talk's mechanism as F2's runs saw it: timer MSR writes per transaction. */
  private static String mechanism(Optional<SeedOutcome> placement) {
    if (placement.isEmpty()) {
      return "-";
    }
    double cross = timerRuns(placement.get(), PLACEMENT_CROSS_CPU)
        .median(ReportFigure.GUEST_TIMER_MSR_WRITES::of);
    double same = timerRuns(placement.get(), PLACEMENT_SAME_CPU)
        .median(ReportFigure.GUEST_TIMER_MSR_WRITES::of);
    return Double.isNaN(cross) ? "-" : "tickless: timer writes/tx " + Numbers.count(cross)
        + " cross, " + Numbers.count(same) + " same";
  }

  private static RunGroup timerRuns(SeedOutcome placement, Placement where) {
    return RunGroup.of(placement, RunKinds.of("tcp_rr", where));
  }
}

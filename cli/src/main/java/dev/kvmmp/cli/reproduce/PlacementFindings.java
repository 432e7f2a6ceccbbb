package dev.kvmmp.cli.reproduce;

import static dev.kvmmp.proto.v1.Placement.PLACEMENT_CROSS_CPU;
import static dev.kvmmp.proto.v1.Placement.PLACEMENT_SAME_CPU;

import dev.kvmmp.aggregator.stats.FleetComparisons;
import dev.kvmmp.aggregator.stats.HierarchicalBootstrap;
import dev.kvmmp.aggregator.stats.RatioInterval;
import dev.kvmmp.aggregator.stats.RunSample;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Findings F1 and F2 (guest side) from the placement experiment: each workload's p50 across
 * vCPUs against on one vCPU, and the exit causes per transaction the guest counted in both.
 */
final class PlacementFindings {

  static final List<String> KINDS = List.of("tcp_rr", "memcache", "condvar");
  private static final List<ReportFigure> EXIT_CAUSES = List.of(
      ReportFigure.GUEST_TIMER_MSR_WRITES, ReportFigure.GUEST_ICR_WRITES,
      ReportFigure.GUEST_HLT_ENTRIES);
  /**
   * How many more per transaction count as more: one in ten transactions. A count that is ~0 in
   * both placements can still differ by a few thousandths, which no reader would call "more".
   */
  static final double MEANINGFULLY_MORE = 0.1;
  /** How a worker's run note about a trace that missed idle entries begins. */
  static final String TRACE_SHORTFALL = "power:cpu_idle fired for ";
  static final String EXIT_PLOT = "F2 guest side: exit causes per transaction (median of runs)";

  private final SeedOutcome outcome;
  private final FindingsCollector found;
  private final HierarchicalBootstrap bootstrap = new HierarchicalBootstrap();

  private PlacementFindings(SeedOutcome outcome, FindingsCollector found) {
    this.outcome = outcome;
    this.found = found;
  }

  static void analyze(SeedOutcome outcome, FindingsCollector found) {
    new PlacementFindings(outcome, found).analyze();
  }

  private void analyze() {
    for (String kind : KINDS) {
      RunGroup same = RunGroup.of(outcome, RunKinds.of(kind, PLACEMENT_SAME_CPU));
      RunGroup cross = RunGroup.of(outcome, RunKinds.of(kind, PLACEMENT_CROSS_CPU));
      found.row(latencyRow(kind, same, cross));
      String plot = "F1 " + kind + ": latency, same-vCPU vs cross-vCPU";
      found.cdf(plot, "same-vCPU", same);
      found.cdf(plot, "cross-vCPU", cross);
      exitBar(kind + " same-vCPU", same);
      exitBar(kind + " cross-vCPU", cross);
    }
    RunGroup same = RunGroup.of(outcome, RunKinds.of("tcp_rr", PLACEMENT_SAME_CPU));
    RunGroup cross = RunGroup.of(outcome, RunKinds.of("tcp_rr", PLACEMENT_CROSS_CPU));
    found.row(exitCauseRow(ReportFigure.GUEST_ICR_WRITES, "~2 vs ~0", same, cross));
    found.row(exitCauseRow(ReportFigure.GUEST_HLT_ENTRIES, "~2 vs ~0 (HLT exits)", same, cross));
    found.row(exitCauseRow(ReportFigure.GUEST_TIMER_MSR_WRITES, "~8 vs ~0", same, cross));
  }

  private FindingRow latencyRow(String kind, RunGroup same, RunGroup cross) {
    String subject = kind + " p50, cross / same vCPU";
    String talk = kind.equals("tcp_rr") ? "25 vs 10 us (2.5x)" : "slower (no figure)";
    int runs = same.size() + cross.size();
    int needed = FleetComparisons.MIN_RUNS_PER_FLEET;
    if (same.size() < needed || cross.size() < needed) {
      return new FindingRow("F1", subject, talk, "-", "-", Verdict.NOT_MEASURED,
          "only " + same.size() + " same-vCPU and " + cross.size()
              + " cross-vCPU runs reported; a verdict needs " + needed + " each", runs);
    }
    RatioInterval ratio = bootstrap.ratioOfMedians(same.samples(), cross.samples(),
        RunSample::p50Ns, new SplittableRandom(kind.hashCode()));
    String here = Numbers.number(ratio.median() / 1_000) + " vs "
        + Numbers.us(ratio.baselineMedian())
        + " (" + Numbers.ratio(ratio.ratio()) + ")";
    Verdict verdict = ratio.low() > 1 ? Verdict.REPRODUCED : Verdict.NOT_REPRODUCED;
    String reason = ratio.low() > 1 ? "cross-vCPU slower: the whole interval lies above 1"
        : ratio.high() < 1 ? "cross-vCPU faster here: the interval lies below 1"
        : "no difference detected: the interval spans 1";
    return new FindingRow("F1", subject, talk, here,
        Numbers.ratioInterval(ratio.low(), ratio.high()), verdict,
        reason + pollingGuests(cross), runs);
  }

  private FindingRow exitCauseRow(ReportFigure figure, String talk, RunGroup same,
      RunGroup cross) {
    String subject = "tcp_rr " + figure.label() + "/tx, cross vs same";
    int runs = same.size() + cross.size();
    double[] sameValues = same.values(figure::of);
    double[] crossValues = cross.values(figure::of);
    if (sameValues.length < 2 || crossValues.length < 2) {
      String why = cross.whyMissing(figure).orElse(null);
      return why != null
          ? new FindingRow("F2", subject, talk, "-", "-", Verdict.NOT_TESTABLE, why, runs)
          : new FindingRow("F2", subject, talk, "-", "-", Verdict.NOT_MEASURED, "only "
              + sameValues.length + " and " + crossValues.length + " runs counted it", runs);
    }
    MedianInterval difference = MedianInterval.ofDifference(sameValues, crossValues,
        figure.ordinal());
    String here = Numbers.count(RunGroup.medianOf(crossValues)) + " vs "
        + Numbers.count(RunGroup.medianOf(sameValues));
    boolean more = difference.low() >= MEANINGFULLY_MORE;
    Verdict verdict = more ? Verdict.REPRODUCED : Verdict.NOT_REPRODUCED;
    String reason = more ? "more " + figure.label() + " across vCPUs: the difference's interval "
        + "lies above " + MEANINGFULLY_MORE + " per transaction"
        : "not clearly more across vCPUs: the difference's interval reaches below "
            + MEANINGFULLY_MORE + " per transaction";
    if (figure == ReportFigure.GUEST_TIMER_MSR_WRITES && cross.anyRunNotes(TRACE_SHORTFALL)) {
      reason += "; a lower bound: this kernel does not trace every idle entry, and the timer "
          + "is re-armed in the idle path (the runs' notes say how many it traced)";
    }
    return new FindingRow("F2", subject, talk, here,
        Numbers.differenceInterval(difference.low(), difference.high()), verdict,
        reason + pollingGuests(cross), runs);
  }

  /**
   * Why cross-vCPU wake-ups may cost little here: the guests poll before they halt (the
   * haltpoll driver's default is 200 us), which the talk's guests did not. Empty otherwise.
   */
  private static String pollingGuests(RunGroup cross) {
    return cross.guestPollingNs().map(ns -> "; the guests poll before they halt "
        + "(guest_halt_poll_ns " + ns + "), so a wake-up that comes soon enough needs no halt "
        + "and no IPI: the talk's guests did not poll (F3(a) measures both)").orElse("");
  }

  private void exitBar(String bar, RunGroup group) {
    if (group.size() == 0) {
      return;
    }
    Map<String, Double> parts = new LinkedHashMap<>();
    for (ReportFigure figure : EXIT_CAUSES) {
      double median = group.median(figure::of);
      if (!Double.isNaN(median)) {
        parts.put(figure.label(), median);
      }
    }
    found.exits.add(new ExitBar(EXIT_PLOT, bar, group.size(), parts));
  }
}

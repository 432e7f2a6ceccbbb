package dev.kvmmp.cli.reproduce;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Turns the seed experiments' outcomes into the findings, F1 to F4, and their plots. */
public final class FindingsAnalysis {

  private FindingsAnalysis() {}

  /**
   * The findings of the outcomes (any subset of the seeds, in {@link TalkSeed} order).
   *
   * @param notes what the session adds to the report's notes
   */
  public static ReproduceResults analyze(List<SeedOutcome> outcomes, String machine,
      Instant startedAt, Duration elapsed, boolean quick, boolean complete, List<String> notes) {
    FindingsCollector found = new FindingsCollector();
    Optional<SeedOutcome> placement = find(outcomes, TalkSeed.PLACEMENT);
    for (SeedOutcome outcome : outcomes) {
      int firstRow = found.rows.size();
      switch (outcome.seed()) {
        case PLACEMENT -> PlacementFindings.analyze(outcome, found);
        case GUEST_POLLING -> GuestPollingFindings.analyze(outcome, found);
        case HOST_POLLING -> HostPollingFindings.analyze(outcome, found);
        case TICK_MODE -> TickFindings.analyze(outcome, placement, found);
      }
      explainUnmeasured(outcome, found.rows.subList(firstRow, found.rows.size()));
    }
    found.notes.addAll(notes);
    // By finding, F1 to F4, each in the order its seeds found it (the host side of F2 comes
    // from the micro-VM experiment, after F3's guest side).
    found.rows.sort(Comparator.comparing(FindingRow::finding));
    return new ReproduceResults(machine, startedAt, elapsed, quick, complete, found.rows,
        found.cdfs, found.exits, found.polling, found.notes);
  }

  /** Rows without runs say why: the seed cannot be tested here, or was not run. */
  private static void explainUnmeasured(SeedOutcome outcome, List<FindingRow> rows) {
    if (outcome.experimentId().isPresent()) {
      return;
    }
    rows.replaceAll(row -> row.verdict() != Verdict.NOT_MEASURED ? row
        : outcome.notTestable().isPresent()
            ? new FindingRow(row.finding(), row.subject(), row.talk(), row.here(),
                row.interval(), Verdict.NOT_TESTABLE, outcome.notTestable().get(), 0)
            : new FindingRow(row.finding(), row.subject(), row.talk(), row.here(),
                row.interval(), Verdict.NOT_MEASURED,
                "not run: " + outcome.notRun().orElse("no runs"), 0));
  }

  private static Optional<SeedOutcome> find(List<SeedOutcome> outcomes, TalkSeed seed) {
    return outcomes.stream().filter(o -> o.seed() == seed).findFirst();
  }
}

package dev.kvmmp.cli.bench;

import java.util.List;
import java.util.Optional;

/**
 * One pair at one placement: its completed trials, or why it has none to show.
 *
 * @param problem why the row was not run (unavailable) or did not finish (failed); empty when
 *     every trial completed
 * @param failed true when trials were attempted and one failed, false when merely unavailable
 */
public record FidelityRow(String pair, BenchPlacement placement, String peer,
    String peerPlacement, Statistic statistic, List<TrialPair> trials, Optional<String> problem,
    boolean failed) {

  public FidelityRow {
    trials = List.copyOf(trials);
    if (problem.isEmpty() && trials.isEmpty()) {
      throw new IllegalArgumentException(pair + " " + placement.label()
          + ": a row without a problem must have trials");
    }
  }

  static FidelityRow unavailable(BenchPair pair, BenchPlacement placement, String reason) {
    return new FidelityRow(pair.name(), placement, pair.peer().name(),
        pair.peer().placementLabel(placement), pair.statistic(), List.of(), Optional.of(reason),
        false);
  }

  public boolean complete() {
    return problem.isEmpty();
  }

  public RatioSummary ratios() {
    return RatioSummary.of(trials.stream().map(t -> t.ratio(statistic)).toList());
  }
}

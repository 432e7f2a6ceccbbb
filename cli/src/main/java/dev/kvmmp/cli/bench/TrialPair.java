package dev.kvmmp.cli.bench;

/** One repetition of a row: kvmmp's figures and, measured right after, the peer's. */
public record TrialPair(int repetition, Figures kvmmp, Figures peer) {

  /**
   * kvmmp's figure over the peer's, for the pair's statistic.
   *
   * @throws IllegalStateException when either side lacks the statistic (a pair set up wrong)
   */
  public double ratio(Statistic statistic) {
    return value(statistic, kvmmp, "kvmmp") / value(statistic, peer, "peer");
  }

  private double value(Statistic statistic, Figures figures, String side) {
    return statistic.of(figures).orElseThrow(() -> new IllegalStateException(
        "repetition " + repetition + ": the " + side + " side reports no " + statistic.label()));
  }
}

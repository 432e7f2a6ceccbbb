package dev.kvmmp.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RatioSummaryTest {

  @Test
  void anOddCountHasItsMiddleValueAsMedian() {
    assertThat(RatioSummary.of(List.of(1.30, 0.90, 1.10)))
        .isEqualTo(new RatioSummary(1.10, 0.90, 1.30, 3));
  }

  @Test
  void anEvenCountAveragesTheTwoMiddleValues() {
    assertThat(RatioSummary.of(List.of(2.0, 1.0, 4.0, 3.0)))
        .isEqualTo(new RatioSummary(2.5, 1.0, 4.0, 4));
  }

  @Test
  void oneOutlierMovesTheRangeButNotTheMedian() {
    RatioSummary summary = RatioSummary.of(List.of(1.0, 1.1, 9.0));

    assertThat(summary.median()).isEqualTo(1.1);
    assertThat(summary.max()).isEqualTo(9.0);
  }

  @Test
  void aSingleTrialIsItsOwnMedianAndRange() {
    assertThat(RatioSummary.of(List.of(1.5))).isEqualTo(new RatioSummary(1.5, 1.5, 1.5, 1));
  }

  @Test
  void noRatiosIsRefused() {
    assertThatThrownBy(() -> RatioSummary.of(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one");
  }

  @Test
  void aTrialsRatioUsesThePairsStatistic() {
    TrialPair trial = new TrialPair(1, Figures.of(12, 20, 13), Figures.meanOnly(10));

    assertThat(trial.ratio(Statistic.MEAN)).isEqualTo(1.3);
    assertThatThrownBy(() -> trial.ratio(Statistic.P50))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("repetition 1: the peer side reports no p50");
  }
}

package dev.kvmmp.aggregator.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvmmp.proto.v1.FleetComparison;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FleetComparisonsTest {

  private static final HierarchicalBootstrap BOOTSTRAP = new HierarchicalBootstrap(500);
  private static final SimulatedFleet DESIGN = new SimulatedFleet(6, 2, 4, 0.05, 0.03, 0.03);

  @Test
  void clearlyFasterFleetGetsFasterVerdictWithItsRatioAndRankTest() {
    SplittableRandom data = new SplittableRandom(1);
    FleetComparison c = compare(DESIGN.draw("a", 1, data), DESIGN.draw("b", 0.6, data), 3);

    assertThat(c.getVerdict()).matches("b faster by \\d+% \\(CI \\d+-\\d+%\\)");
    assertThat(c.getP50().getRatio()).isBetween(0.5, 0.7);
    assertThat(c.getP50().getCiLow()).isLessThan(0.6);
    assertThat(c.getP50().getCiHigh()).isGreaterThan(0.6).isLessThan(1);
    assertThat(c.getP50().getMedian() / c.getP50().getBaselineMedian())
        .isEqualTo(c.getP50().getRatio());
    assertThat(c.getP99().getRatio()).isBetween(0.5, 0.7);
    assertThat(c.getMean().getRatio()).isBetween(0.5, 0.7);
    assertThat(c.getRankTestPValue()).isLessThan(0.001);
    assertThat(c.getBaselineRuns()).isEqualTo(48);
    assertThat(c.getRuns()).isEqualTo(48);
    // SimulatedFleet polls 1e8 ns/s and 2,000 ns per transaction times the fleet's ratio.
    assertThat(c.getBaselinePollNsPerSecond()).isEqualTo(1e8);
    assertThat(c.getPollNsPerTransaction()).isEqualTo(1_200);
  }

  @Test
  void slowerFleetGetsSlowerVerdict() {
    SplittableRandom data = new SplittableRandom(2);
    FleetComparison c = compare(DESIGN.draw("a", 1, data), DESIGN.draw("b", 1.3, data), 3);

    assertThat(c.getVerdict()).matches("b slower by \\d+% \\(CI \\d+-\\d+%\\)");
  }

  @Test
  void fewerThanFiveRunsInAFleetGivesNotEnoughRunsAndNoEffects() {
    List<RunSample> baseline = Runs.grid("a", 5, 1, 1, 1_000, 10);
    List<RunSample> fleet = Runs.grid("b", 2, 1, 2, 800, 10);

    FleetComparison c = compare(baseline, fleet, 3);

    assertThat(c.getVerdict()).isEqualTo("not enough runs (need >= 5 per fleet)");
    assertThat(c.hasP50()).isFalse();
    assertThat(c.hasP99()).isFalse();
    assertThat(c.hasMean()).isFalse();
    assertThat(c.getRankTestPValue()).isNaN();
    assertThat(c.getBaselineRuns()).isEqualTo(5);
    assertThat(c.getRuns()).isEqualTo(4);
  }

  @Test
  void emptyFleetGivesNotEnoughRunsAndNaNPollCost() {
    FleetComparison c = compare(Runs.grid("a", 5, 1, 1, 1_000, 10), List.of(), 3);

    assertThat(c.getVerdict()).startsWith("not enough runs");
    assertThat(c.getPollNsPerSecond()).isNaN();
    assertThat(c.getBaselinePollNsPerSecond()).isZero();
  }

  @Test
  void sameRunsAndSeedGiveTheSameComparisonWhateverTheRunOrder() {
    SplittableRandom data = new SplittableRandom(3);
    List<RunSample> a = DESIGN.draw("a", 1, data);
    List<RunSample> b = DESIGN.draw("b", 0.9, data);
    List<RunSample> shuffled = new ArrayList<>(b);
    Collections.shuffle(shuffled, new Random(4));

    assertThat(compare(a, shuffled, 11)).isEqualTo(compare(a, b, 11));
    assertThat(compare(a, b, 12).getP50().getCiLow())
        .isNotEqualTo(compare(a, b, 11).getP50().getCiLow());
  }

  @Test
  void identicalValuesGiveRatioOneWithZeroWidthAndNoDifference() {
    FleetComparison c = compare(Runs.grid("a", 3, 2, 2, 1_000, 0),
        Runs.grid("b", 3, 2, 2, 1_000, 0), 3);

    assertThat(c.getP50().getRatio()).isEqualTo(1);
    assertThat(c.getP50().getCiLow()).isEqualTo(1);
    assertThat(c.getP50().getCiHigh()).isEqualTo(1);
    assertThat(c.getRankTestPValue()).isEqualTo(1);
    assertThat(c.getVerdict()).isEqualTo("no difference detected (CI 0 to 0%)");
  }

  @Test
  void oneHostPerFleetStillGivesAnIntervalFromItsVms() {
    FleetComparison c = compare(Runs.grid("a", 1, 2, 3, 1_000, 5),
        Runs.grid("b", 1, 2, 3, 700, 5), 3);

    assertThat(c.getP50().getCiLow()).isPositive().isLessThan(c.getP50().getRatio());
    assertThat(c.getP50().getCiHigh()).isGreaterThan(c.getP50().getRatio()).isFinite();
    assertThat(c.getVerdict()).doesNotStartWith("not enough runs");
  }

  @Test
  void oneVmPerFleetGivesAnIntervalFromItsRuns() {
    FleetComparison c = compare(Runs.grid("a", 1, 1, 6, 1_000, 5),
        Runs.grid("b", 1, 1, 6, 700, 5), 3);

    assertThat(c.getVerdict()).matches("b faster by \\d+% \\(CI \\d+-\\d+%\\)");
  }

  @Test
  void zeroPollingIsZeroAndMissingHostDataIsLeftOutOfThePollMedian() {
    List<RunSample> baseline = Runs.grid("a", 5, 1, 1, 1_000, 10);
    List<RunSample> fleet = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      boolean hostData = i < 3;
      fleet.add(new RunSample("b-h" + i, "vm", "b" + i, 900, 1_800, 900,
          hostData ? 1_000 * (i + 1) : Double.NaN, hostData ? 10 * (i + 1) : Double.NaN));
    }

    FleetComparison c = compare(baseline, fleet, 3);

    assertThat(c.getBaselinePollNsPerSecond()).isZero();
    assertThat(c.getBaselinePollNsPerTransaction()).isZero();
    assertThat(c.getPollNsPerSecond()).isEqualTo(2_000);
    assertThat(c.getPollNsPerTransaction()).isEqualTo(20);
  }

  @Test
  void aRunGivenTwiceIsRejectedWithItsId() {
    List<RunSample> fleet = new ArrayList<>(Runs.grid("b", 5, 1, 1, 900, 10));
    fleet.add(fleet.get(0));

    assertThatThrownBy(() -> compare(Runs.grid("a", 5, 1, 1, 1_000, 10), fleet, 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("run 'b-h0-v0-r0' appears twice");
  }

  private static FleetComparison compare(List<RunSample> a, List<RunSample> b, long seed) {
    return FleetComparisons.compare(0, "tcp_rr", "a", a, "b", b, seed, BOOTSTRAP);
  }
}

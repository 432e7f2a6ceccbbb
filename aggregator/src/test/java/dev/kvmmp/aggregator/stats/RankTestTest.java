package dev.kvmmp.aggregator.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RankTestTest {

  @Test
  void separatedFleetsGiveASmallPValue() {
    assertThat(RankTest.p50PValue(runs(1_000, 10), runs(2_000, 10))).isLessThan(0.01);
  }

  @Test
  void interleavedFleetsGiveALargePValue() {
    // 1000, 1002, ... against 1001, 1003, ...: no shift at all in rank terms.
    List<RunSample> even = IntStream.range(0, 8).mapToObj(i -> run("e" + i, 1_000 + 2 * i))
        .toList();
    List<RunSample> odd = IntStream.range(0, 8).mapToObj(i -> run("o" + i, 1_001 + 2 * i))
        .toList();
    assertThat(RankTest.p50PValue(even, odd)).isGreaterThan(0.5);
  }

  @Test
  void identicalValuesGivePValueOne() {
    assertThat(RankTest.p50PValue(runs(500, 0), runs(500, 0))).isEqualTo(1.0);
  }

  @Test
  void emptyFleetIsRejectedWithBothCounts() {
    assertThatThrownBy(() -> RankTest.p50PValue(List.of(), runs(1_000, 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0 baseline and 5 fleet runs");
  }

  /** Five runs with p50s from base upwards by step. */
  private static List<RunSample> runs(double base, double step) {
    return Runs.grid("f" + base, 1, 1, 5, base, step);
  }

  private static RunSample run(String id, double p50) {
    return Runs.run("h", "vm", id, p50);
  }
}

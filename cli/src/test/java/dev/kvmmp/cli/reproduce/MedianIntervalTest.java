package dev.kvmmp.cli.reproduce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MedianIntervalTest {

  @Test
  void aClearDifferenceHasAnIntervalAwayFromZeroAroundTheEstimate() {
    double[] same = {0.0, 0.001, 0.0, 0.002, 0.0};
    double[] cross = {1.95, 2.0, 1.98, 1.99, 2.01};

    MedianInterval difference = MedianInterval.ofDifference(same, cross, 1);

    assertThat(difference.estimate()).isEqualTo(1.99);
    assertThat(difference.low()).isGreaterThan(1.9).isLessThanOrEqualTo(difference.estimate());
    assertThat(difference.high()).isLessThan(2.05).isGreaterThanOrEqualTo(difference.estimate());
  }

  @Test
  void overlappingGroupsGiveAnIntervalThatHoldsZero() {
    double[] a = {0.9, 1.0, 1.1, 0.95, 1.05, 1.02};
    double[] b = {1.05, 0.9, 1.02, 1.1, 0.95, 1.0};

    MedianInterval difference = MedianInterval.ofDifference(a, b, 3);

    assertThat(difference.low()).isNegative();
    assertThat(difference.high()).isPositive();
  }

  @Test
  void oneRunIsNoInterval() {
    assertThatThrownBy(() -> MedianInterval.ofMedian(new double[] {2.0}, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("need >= 2 runs per group, got 1");
  }
}

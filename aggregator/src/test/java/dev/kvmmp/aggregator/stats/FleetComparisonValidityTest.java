package dev.kvmmp.aggregator.stats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvmmp.proto.v1.Effect;
import dev.kvmmp.proto.v1.FleetComparison;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The comparison's promises, checked on 1,000 simulated experiments per design: with no
 * difference it says "no difference detected" in at least 95% of them, and with a known
 * difference its 95% intervals hold the true ratio in at least 95% of them. Designs are the
 * sizes kvmmp fleets have: a few hosts, two VMs each, a few runs per VM.
 */
class FleetComparisonValidityTest {

  private static final Logger log = LoggerFactory.getLogger(FleetComparisonValidityTest.class);

  private static final int TRIALS = 1_000;
  /** Enough for a stable standard error; the default 2,000 would double the test's time. */
  private static final HierarchicalBootstrap BOOTSTRAP = new HierarchicalBootstrap(1_000);

  static Stream<Arguments> designs() {
    return Stream.of(
        // The smallest fleet worth comparing, host effects dominating.
        Arguments.of(new SimulatedFleet(4, 2, 3, 0.10, 0.05, 0.05)),
        // Host-to-host differences but run noise larger still.
        Arguments.of(new SimulatedFleet(4, 2, 5, 0.05, 0.03, 0.10)),
        // A larger fleet.
        Arguments.of(new SimulatedFleet(8, 2, 5, 0.10, 0.05, 0.05)));
  }

  @ParameterizedTest
  @MethodSource("designs")
  void sameDistributionSaysNoDifferenceInAtLeast95PercentOfExperiments(SimulatedFleet design) {
    SplittableRandom data = new SplittableRandom(20240601L);
    int differences = 0;
    for (int trial = 0; trial < TRIALS; trial++) {
      FleetComparison comparison = compare(design.draw("a", 1.0, data),
          design.draw("b", 1.0, data), trial);
      if (!comparison.getVerdict().startsWith("no difference detected")) {
        differences++;
      }
    }
    double rate = differences / (double) TRIALS;
    log.info("A/A {}: verdict says a difference in {} of {} ({})", design, differences, TRIALS,
        rate);
    assertThat(rate).as("A/A false-positive rate").isLessThanOrEqualTo(0.05);
  }

  @ParameterizedTest
  @MethodSource("designs")
  void intervalsHoldTheTrueRatioInAtLeast95PercentOfExperiments(SimulatedFleet design) {
    double trueRatio = 0.8;
    SplittableRandom data = new SplittableRandom(7_777L);
    int[] covered = new int[3];
    for (int trial = 0; trial < TRIALS; trial++) {
      FleetComparison comparison = compare(design.draw("a", 1.0, data),
          design.draw("b", trueRatio, data), trial);
      List<Effect> effects = List.of(comparison.getP50(), comparison.getP99(),
          comparison.getMean());
      for (int i = 0; i < effects.size(); i++) {
        if (effects.get(i).getCiLow() <= trueRatio && trueRatio <= effects.get(i).getCiHigh()) {
          covered[i]++;
        }
      }
    }
    log.info("known ratio {} {}: coverage p50 {}, p99 {}, mean {} of {}", trueRatio, design,
        covered[0], covered[1], covered[2], TRIALS);
    assertThat(covered[0] / (double) TRIALS).as("p50 coverage").isGreaterThanOrEqualTo(0.95);
    assertThat(covered[1] / (double) TRIALS).as("p99 coverage").isGreaterThanOrEqualTo(0.95);
    assertThat(covered[2] / (double) TRIALS).as("mean coverage").isGreaterThanOrEqualTo(0.95);
  }

  private static FleetComparison compare(List<RunSample> a, List<RunSample> b, int trial) {
    return FleetComparisons.compare(0, "tcp_rr", "a", a, "b", b, trial, BOOTSTRAP);
  }
}

package dev.kvmmp.aggregator.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HierarchicalBootstrapTest {

  private final HierarchicalBootstrap bootstrap = new HierarchicalBootstrap(1_000);

  @Test
  void runsSharingHostsGiveAWiderIntervalThanIndependentRuns() {
    SimulatedFleet design = new SimulatedFleet(4, 2, 4, 0.10, 0.02, 0.02);
    SplittableRandom data = new SplittableRandom(5);
    List<RunSample> a = design.draw("a", 1, data);
    List<RunSample> b = design.draw("b", 1, data);

    RatioInterval clustered = interval(a, b);
    RatioInterval asIfIndependent = interval(eachRunOnItsOwnHost(a), eachRunOnItsOwnHost(b));

    assertThat(clustered.ratio()).isEqualTo(asIfIndependent.ratio());
    assertThat(width(clustered)).isGreaterThan(1.5 * width(asIfIndependent));
  }

  @Test
  void moreHostsGiveANarrowerInterval() {
    SplittableRandom data = new SplittableRandom(6);
    SimulatedFleet few = new SimulatedFleet(4, 2, 3, 0.10, 0.05, 0.05);
    SimulatedFleet many = new SimulatedFleet(32, 2, 3, 0.10, 0.05, 0.05);

    RatioInterval fewHosts = interval(few.draw("a", 1, data), few.draw("b", 1, data));
    RatioInterval manyHosts = interval(many.draw("a", 1, data), many.draw("b", 1, data));

    assertThat(width(manyHosts)).isLessThan(width(fewHosts) / 2);
  }

  @Test
  void ratioIsFleetMedianOverBaselineMedianOfAllRuns() {
    RatioInterval r = interval(Runs.grid("a", 2, 2, 2, 100, 10), Runs.grid("b", 2, 2, 2, 50, 5));

    // a: 100..170, median 135; b: 50..85, median 67.5.
    assertThat(r.baselineMedian()).isEqualTo(135);
    assertThat(r.median()).isEqualTo(67.5);
    assertThat(r.ratio()).isEqualTo(0.5);
    assertThat(r.low()).isLessThan(0.5);
    assertThat(r.high()).isGreaterThan(0.5);
  }

  @Test
  void fewerThanTwoRunsIsRejected() {
    assertThatThrownBy(() -> interval(Runs.grid("a", 1, 1, 1, 100, 0),
        Runs.grid("b", 3, 1, 1, 100, 0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("baseline runs: need >= 2 for an interval, got 1");
  }

  @Test
  void tooFewResamplesAreRejectedWithTheLimit() {
    assertThatThrownBy(() -> new HierarchicalBootstrap(10))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("resamples must be >= 100, was 10");
  }

  private RatioInterval interval(List<RunSample> a, List<RunSample> b) {
    return bootstrap.ratioOfMedians(a, b, RunSample::p50Ns, new SplittableRandom(9));
  }

  private static double width(RatioInterval r) {
    return Math.log(r.high()) - Math.log(r.low());
  }

  private static List<RunSample> eachRunOnItsOwnHost(List<RunSample> runs) {
    return runs.stream().map(r -> new RunSample(r.runId(), r.vmIdentity(), r.runId(), r.p50Ns(),
        r.p99Ns(), r.meanNs(), r.pollNsPerSecond(), r.pollNsPerTransaction())).toList();
  }
}

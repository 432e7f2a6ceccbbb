package dev.kvmmp.aggregator.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.kvmmp.proto.v1.ExperimentComparison;
import dev.kvmmp.proto.v1.ExperimentSpec;
import dev.kvmmp.proto.v1.Fleet;
import dev.kvmmp.proto.v1.FleetComparison;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExperimentComparisonsTest {

  private static final HierarchicalBootstrap BOOTSTRAP = new HierarchicalBootstrap(200);
  private static final Instant NOW = Instant.parse("2025-01-02T03:04:05.006Z");

  private final WorkloadRuns tcpRr = new WorkloadRuns(0, "tcp_rr", Map.of(
      "base", Runs.grid("base", 3, 2, 1, 1_000, 10),
      "poll", Runs.grid("poll", 3, 2, 1, 600, 10),
      "idle", Runs.grid("idle", 3, 2, 1, 1_500, 10)));
  private final WorkloadRuns condvar = new WorkloadRuns(1, "condvar", Map.of(
      "base", Runs.grid("base", 3, 2, 1, 2_000, 10),
      "poll", Runs.grid("poll", 1, 1, 2, 1_000, 10)));

  @Test
  void comparesEveryOtherFleetAgainstTheBaselineForEveryWorkloadInOrder() {
    ExperimentComparison e = ExperimentComparisons.compare("e-1", List.of("base", "poll", "idle"),
        "base", List.of(condvar, tcpRr), 42, NOW, BOOTSTRAP);

    assertThat(e.getExperimentId()).isEqualTo("e-1");
    assertThat(e.getComputedAt().getSeconds()).isEqualTo(NOW.getEpochSecond());
    assertThat(e.getComputedAt().getNanos()).isEqualTo(6_000_000);
    assertThat(e.getComparisonsList()).extracting(FleetComparison::getWorkload,
            FleetComparison::getBaselineFleet, FleetComparison::getFleet)
        .containsExactly(
            tuple("tcp_rr", "base", "poll"),
            tuple("tcp_rr", "base", "idle"),
            tuple("condvar", "base", "poll"),
            tuple("condvar", "base", "idle"));
    assertThat(e.getComparisons(0).getVerdict()).startsWith("poll faster by");
    assertThat(e.getComparisons(1).getVerdict()).startsWith("idle slower by");
    assertThat(e.getComparisons(2).getVerdict()).startsWith("not enough runs");
    assertThat(e.getComparisons(3).getRuns()).isZero();
  }

  @Test
  void aFleetsComparisonDoesNotChangeWhenAnotherFleetIsAdded() {
    ExperimentComparison two = ExperimentComparisons.compare("e-1", List.of("base", "poll"),
        "base", List.of(tcpRr), 42, NOW, BOOTSTRAP);
    ExperimentComparison three = ExperimentComparisons.compare("e-1",
        List.of("base", "idle", "poll"), "base", List.of(tcpRr), 42, NOW, BOOTSTRAP);

    assertThat(three.getComparisons(1)).isEqualTo(two.getComparisons(0));
  }

  @Test
  void unknownBaselineIsRejectedNamingTheFleets() {
    assertThatThrownBy(() -> ExperimentComparisons.compare("e-1", List.of("base", "poll"),
        "nope", List.of(tcpRr), 42, NOW, BOOTSTRAP))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("experiment 'e-1': baseline fleet 'nope' is not one of its fleets "
            + "[base, poll]");
  }

  @Test
  void defaultBaselineIsTheSpecsFirstFleetOrTheDefaultFleet() {
    ExperimentSpec spec = ExperimentSpec.newBuilder()
        .addFleets(Fleet.newBuilder().setName("poll-on"))
        .addFleets(Fleet.newBuilder().setName("poll-off")).build();

    assertThat(ExperimentComparisons.defaultBaseline(spec)).isEqualTo("poll-on");
    assertThat(ExperimentComparisons.defaultBaseline(ExperimentSpec.getDefaultInstance()))
        .isEqualTo("default");
  }
}

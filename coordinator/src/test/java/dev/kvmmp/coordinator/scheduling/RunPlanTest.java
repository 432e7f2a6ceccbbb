package dev.kvmmp.coordinator.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvmmp.coordinator.Specs;
import dev.kvmmp.proto.v1.ExperimentSpec;
import dev.kvmmp.proto.v1.Fleet;
import dev.kvmmp.proto.v1.Order;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.spec.ExperimentSpecDefaults;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RunPlanTest {

  private static ExperimentSpec threeFleets(Order order, int repetitions) {
    return ExperimentSpecDefaults.apply(Specs.tcpRr(repetitions).toBuilder()
        .setOrder(order)
        .addFleets(Fleet.newBuilder().setName("a"))
        .addFleets(Fleet.newBuilder().setName("b"))
        .addFleets(Fleet.newBuilder().setName("c"))
        .build());
  }

  @Test
  void interleavedOrderRunsEveryFleetOncePerBlockInShuffledOrder() {
    List<Run> runs = RunPlan.expand("e-1", threeFleets(Order.ORDER_INTERLEAVED, 20), 42);

    assertThat(runs).hasSize(60);
    for (int block = 0; block < 20; block++) {
      List<Run> inBlock = runs.subList(block * 3, block * 3 + 3);
      assertThat(inBlock).extracting(Run::getFleet).containsExactlyInAnyOrder("a", "b", "c");
      assertThat(inBlock).extracting(Run::getRepetition).containsOnly(block);
    }
    // Shuffled: with 20 blocks of 3, identical order in every block would be a 1 in 6^19 fluke.
    assertThat(runs.stream().map(Run::getFleet).collect(Collectors.joining()))
        .isNotEqualTo("abc".repeat(20));
  }

  @Test
  void sequentialOrderRunsEveryRepetitionOfAFleetBeforeTheNext() {
    List<Run> runs = RunPlan.expand("e-1", threeFleets(Order.ORDER_SEQUENTIAL, 2), 42);

    assertThat(runs).extracting(Run::getFleet).containsExactly("a", "a", "b", "b", "c", "c");
  }

  @Test
  void runIdsFollowTheScheduleAndCarryTheirSettings() {
    List<Run> runs = RunPlan.expand("e-1", threeFleets(Order.ORDER_INTERLEAVED, 1), 7);

    assertThat(runs).extracting(Run::getId).containsExactly("e-1-r0000", "e-1-r0001",
        "e-1-r0002");
    assertThat(runs).extracting(Run::getSequence).containsExactly(0, 1, 2);
    assertThat(runs.get(0).getDuration().getNanos()).isEqualTo(200_000_000);
    assertThat(runs.get(0).getWorkload().hasTcpRr()).isTrue();
  }

  @Test
  void theSameSeedGivesTheSamePlan() {
    ExperimentSpec spec = threeFleets(Order.ORDER_INTERLEAVED, 10);

    assertThat(RunPlan.expand("e-1", spec, 5)).isEqualTo(RunPlan.expand("e-1", spec, 5));
  }
}

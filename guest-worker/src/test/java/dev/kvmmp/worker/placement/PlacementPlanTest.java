package dev.kvmmp.worker.placement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvmmp.proto.v1.Placement;
import dev.kvmmp.proto.v1.Workload;
import dev.kvmmp.worker.facts.CpuList;
import dev.kvmmp.worker.workload.WorkloadException;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class PlacementPlanTest {

  private static Workload workload(Placement placement, Integer... cpus) {
    return Workload.newBuilder().setPlacement(placement).addAllCpus(List.of(cpus)).build();
  }

  @Test
  void crossCpuDefaultsToVcpusZeroAndOne() throws Exception {
    PlacementPlan plan = PlacementPlan.of(workload(Placement.PLACEMENT_CROSS_CPU),
        CpuList.parse("0-3"));

    assertThat(plan.clientCpu()).isEqualTo(OptionalInt.of(0));
    assertThat(plan.serverCpu()).isEqualTo(OptionalInt.of(1));
    assertThat(plan.cpus()).containsExactly(0, 1);
  }

  @Test
  void sameCpuTakesTheAskedVcpuForBothSides() throws Exception {
    PlacementPlan plan = PlacementPlan.of(workload(Placement.PLACEMENT_SAME_CPU, 3),
        CpuList.parse("0-3"));

    assertThat(plan.clientCpu()).isEqualTo(OptionalInt.of(3));
    assertThat(plan.serverCpu()).isEqualTo(OptionalInt.of(3));
    assertThat(plan.cpus()).containsExactly(3);
  }

  @Test
  void refusesCrossCpuOnAOneVcpuGuest() {
    assertThatThrownBy(() -> PlacementPlan.of(workload(Placement.PLACEMENT_CROSS_CPU),
        CpuList.parse("0")))
        .isInstanceOf(WorkloadException.class)
        .hasMessage("cross-cpu needs 2 online vCPUs, this guest has 1");
  }

  @Test
  void refusesAVcpuThatIsNotOnline() {
    assertThatThrownBy(() -> PlacementPlan.of(workload(Placement.PLACEMENT_CROSS_CPU, 0, 5),
        CpuList.parse("0-1,4")))
        .isInstanceOf(WorkloadException.class)
        .hasMessage("cpus: vCPU 5 is not online (online: 0-1,4)");
  }

  @Test
  void unpinnedLeavesBothSidesToTheScheduler() throws Exception {
    PlacementPlan plan = PlacementPlan.of(workload(Placement.PLACEMENT_UNSPECIFIED),
        CpuList.parse("0-1"));

    assertThat(plan).isEqualTo(PlacementPlan.UNPINNED);
    assertThat(plan.check(true, true).getDetail()).isEqualTo(
        "unpinned: left to the guest scheduler");
  }

  @Test
  void aCheckNamesTheSideThatMoved() throws Exception {
    PlacementPlan plan = PlacementPlan.of(workload(Placement.PLACEMENT_CROSS_CPU),
        CpuList.parse("0-1"));

    var check = plan.check(true, false);

    assertThat(check.getVerified()).isFalse();
    assertThat(check.getDetail()).isEqualTo(
        "server left vCPU 1 during the window (a cpuset change or CPU hotplug?)");
  }
}

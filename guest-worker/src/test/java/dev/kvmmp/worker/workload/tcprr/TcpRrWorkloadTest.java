package dev.kvmmp.worker.workload.tcprr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.util.Durations;
import dev.kvmmp.proto.v1.Placement;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.TcpRr;
import dev.kvmmp.proto.v1.TcpRrMode;
import dev.kvmmp.proto.v1.Workload;
import dev.kvmmp.worker.facts.CpuList;
import dev.kvmmp.worker.placement.PlacementPlan;
import dev.kvmmp.worker.workload.Outcome;
import dev.kvmmp.worker.workload.RunContext;
import dev.kvmmp.worker.workload.RunControl;
import dev.kvmmp.worker.workload.Window;
import dev.kvmmp.worker.workload.WindowObserver;
import dev.kvmmp.worker.workload.WorkloadException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Real loopback TCP round trips, short: no timing is asserted beyond sanity. */
class TcpRrWorkloadTest {

  @Test
  @Timeout(20) // before the fix this hung: fail instead
  void aServerThatCannotBePlacedFailsTheRunInsteadOfHangingIt() {
    Workload workload = Workload.newBuilder().setTcpRr(TcpRr.getDefaultInstance())
        .setPlacement(Placement.PLACEMENT_CROSS_CPU).build();
    Run run = Run.newBuilder().setId("e-1-r0009").setWorkload(workload)
        .setWarmup(Durations.fromMillis(100)).setDuration(Durations.fromMillis(300)).build();
    // vCPU 4095 is not there: sched_setaffinity refuses, on the server's own thread.
    PlacementPlan unplaceable = new PlacementPlan(Placement.PLACEMENT_CROSS_CPU,
        OptionalInt.of(0), OptionalInt.of(4095));

    long started = System.nanoTime();
    assertThatThrownBy(() -> new TcpRrWorkload().run(new RunContext(run, Window.of(run),
        unplaceable, new RunControl(), WindowObserver.NONE, RunContext.TaskRegistry.NONE)))
        .isInstanceOf(WorkloadException.class)
        .hasMessageContaining("sched_setaffinity");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
  }

  @ParameterizedTest
  @CsvSource({
      "PLACEMENT_UNPINNED, TCP_RR_MODE_THREADS",
      "PLACEMENT_SAME_CPU, TCP_RR_MODE_THREADS",
      "PLACEMENT_CROSS_CPU, TCP_RR_MODE_THREADS",
      "PLACEMENT_SAME_CPU, TCP_RR_MODE_PROCESSES",
      "PLACEMENT_CROSS_CPU, TCP_RR_MODE_PROCESSES"})
  void measuresRoundTripsWhereThePlacementSays(Placement placement, TcpRrMode mode)
      throws Exception {
    CpuList online = CpuList.online();
    Assumptions.assumeTrue(placement != Placement.PLACEMENT_CROSS_CPU || online.count() >= 2,
        "cross-cpu needs 2 vCPUs");
    Workload workload = Workload.newBuilder()
        .setTcpRr(TcpRr.newBuilder().setRequestBytes(64).setResponseBytes(4096).setMode(mode))
        .setPlacement(placement)
        .build();
    Run run = Run.newBuilder().setId("e-1-r0000").setWorkload(workload)
        .setWarmup(Durations.fromMillis(100)).setDuration(Durations.fromMillis(300)).build();
    List<Integer> tids = Collections.synchronizedList(new ArrayList<>());

    Outcome outcome = new TcpRrWorkload().run(new RunContext(run, Window.of(run),
        PlacementPlan.of(workload, online), new RunControl(), WindowObserver.NONE, tids::add));

    assertThat(outcome.measurement().histogram().getTotalCount())
        .isEqualTo(outcome.measurement().transactions())
        .isPositive();
    assertThat(outcome.measurement().histogram().getValueAtPercentile(50))
        .isBetween(1_000L, 10_000_000L);
    assertThat(outcome.placement().getPlacement()).isEqualTo(placement);
    assertThat(outcome.placement().getVerified()).as(outcome.placement().getDetail()).isTrue();
    assertThat(tids).hasSize(2);
    if (placement == Placement.PLACEMENT_CROSS_CPU) {
      assertThat(outcome.placement().getClientCpu()).isEqualTo(0);
      assertThat(outcome.placement().getServerCpu()).isEqualTo(1);
    }
  }
}

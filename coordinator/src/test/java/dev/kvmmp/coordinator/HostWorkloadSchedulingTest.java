package dev.kvmmp.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.util.Durations;
import dev.kvmmp.coordinator.probes.ConnectedProbe;
import dev.kvmmp.proto.v1.CoordinatorToProbe;
import dev.kvmmp.proto.v1.ExperimentSpec;
import dev.kvmmp.proto.v1.Fleet;
import dev.kvmmp.proto.v1.HostFacts;
import dev.kvmmp.proto.v1.IpiHalt;
import dev.kvmmp.proto.v1.MicroVm;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunState;
import dev.kvmmp.proto.v1.Workload;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Host workloads go to probes, one run per host, selected by host labels. */
class HostWorkloadSchedulingTest {

  private final TestClock clock = new TestClock();
  private final Coordinator coordinator = new Coordinator(clock, Duration.ofSeconds(1),
      () -> "e-1");

  private static ExperimentSpec twoFleets(String generation) {
    return ExperimentSpec.newBuilder()
        .setName("ipi")
        .addWorkloads(Workload.newBuilder().setIpiHalt(IpiHalt.getDefaultInstance()))
        .addFleets(Fleet.newBuilder().setName("off").putSelector("host.cpu.generation", generation)
            .setMicroVm(MicroVm.newBuilder().setHaltPollNs(0)))
        .addFleets(Fleet.newBuilder().setName("on").putSelector("host.cpu.generation", generation)
            .setMicroVm(MicroVm.newBuilder().setHaltPollNs(200_000)))
        .setDuration(Durations.fromSeconds(1))
        .build();
  }

  private ConnectedProbe probe(String host, List<String> workloads,
      RecordingStream<CoordinatorToProbe> stream) {
    ConnectedProbe probe = new ConnectedProbe(HostFacts.newBuilder().setHostId(host)
        .setCpuGeneration("icelake").build(), List.of(), workloads, stream, clock.instant());
    coordinator.probeConnected(probe);
    return probe;
  }

  @Test
  void refusesWhenNoProbeMatchesNamingTheFleetAndTheProbesConsidered() {
    probe("h1", List.of(), new RecordingStream<>());

    assertThatThrownBy(() -> coordinator.submit(twoFleets("icelake")))
        .isInstanceOf(StatusRuntimeException.class)
        .hasMessageContaining("fleet 'off': no connected probe can run workloads[0] (ipi_halt): "
            + "1 probe(s) online, 1 matching the selector host.cpu.generation=icelake, none of "
            + "those running ipi_halt");
  }

  @Test
  void runsOneAtATimeOnTheHostAndRequeuesTheRunWhenTheProbeGoes() {
    RecordingStream<CoordinatorToProbe> stream = new RecordingStream<>();
    ConnectedProbe probe = probe("h1", List.of("ipi_halt"), stream);

    String id = coordinator.submit(twoFleets("icelake")).getId();

    assertThat(stream.messages).hasSize(1);
    Run assigned = stream.messages.get(0).getAssignRun().getRun();
    assertThat(assigned.getWorkerId()).isEqualTo("h1");
    assertThat(assigned.getMicroVm().getHaltPollNs())
        .isEqualTo(assigned.getFleet().equals("on") ? 200_000 : 0);
    coordinator.disconnected(probe, "stream broke");

    List<Run> runs = coordinator.get(id).getRunsList();
    assertThat(runs).filteredOn(r -> r.getState() == RunState.RUN_STATE_PENDING).hasSize(2);
    assertThat(runs).flatExtracting(Run::getEarlierAttemptsList)
        .containsExactly("attempt 1: probe of host 'h1' disconnected mid-run: stream broke");
  }
}

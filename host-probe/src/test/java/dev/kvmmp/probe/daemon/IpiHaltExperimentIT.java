package dev.kvmmp.probe.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.util.Durations;
import dev.kvmmp.coordinator.CoordinatorMain;
import dev.kvmmp.coordinator.CoordinatorServer;
import dev.kvmmp.proto.v1.Experiment;
import dev.kvmmp.proto.v1.ExperimentServiceGrpc;
import dev.kvmmp.proto.v1.ExperimentSpec;
import dev.kvmmp.proto.v1.ExperimentState;
import dev.kvmmp.proto.v1.Fleet;
import dev.kvmmp.proto.v1.GetExperimentRequest;
import dev.kvmmp.proto.v1.GetExperimentResponse;
import dev.kvmmp.proto.v1.IpiHalt;
import dev.kvmmp.proto.v1.MicroVm;
import dev.kvmmp.proto.v1.Placement;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunResult;
import dev.kvmmp.proto.v1.RunState;
import dev.kvmmp.proto.v1.SubmitRequest;
import dev.kvmmp.proto.v1.VmCounters;
import dev.kvmmp.proto.v1.Workload;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ipi_halt host workload end to end: a real coordinator on a loopback port, a real probe
 * daemon with this host's /dev/kvm, and an experiment of two fleets that differ only in the
 * micro-VM's halt polling, submitted over gRPC. Asserts what holds on any KVM host: with polling
 * on, most wake-ups are caught by a successful poll; with it off, none are.
 */
class IpiHaltExperimentIT {

  private static final Path KVM = Path.of("/dev/kvm");
  private static final int ROUND_TRIPS = 2_000;

  @TempDir
  Path stateDir;

  @Test
  void runsTwoFleetsDifferingInHaltPollingOnTheProbe() throws Exception {
    Assumptions.assumeTrue(Files.exists(KVM), "no /dev/kvm on this host");
    Assumptions.assumeTrue(Runtime.getRuntime().availableProcessors() >= 2, "cross-cpu needs 2");
    String hostId = "it-ipi-" + ProcessHandle.current().pid();
    try (CoordinatorServer coordinator = CoordinatorMain.start("127.0.0.1", 0,
        Duration.ofSeconds(1))) {
      ManagedChannel channel = Grpc.newChannelBuilder("127.0.0.1:" + coordinator.port(),
          InsecureChannelCredentials.create()).build();
      ExperimentServiceGrpc.ExperimentServiceBlockingStub client =
          ExperimentServiceGrpc.newBlockingStub(channel);
      try {
        assertThatThrownBy(() -> submit(client, hostId))
            .isInstanceOf(StatusRuntimeException.class)
            .hasMessageContaining("FAILED_PRECONDITION")
            .hasMessageContaining("fleet 'poll-off': no connected probe can run workloads[0] "
                + "(ipi_halt): 0 probe(s) online");

        ProbeConfig config = new ProbeConfig(Optional.of("127.0.0.1:" + coordinator.port()),
            Optional.empty(), Optional.of(hostId), Duration.ofSeconds(1), Path.of("/"), stateDir,
            "127.0.0.1", OptionalInt.empty(), Duration.ofSeconds(1), ProbeConfig.ALL_KNOBS);
        ProbeDaemon daemon = ProbeDaemon.start(config, registry -> new RecordingSampleSink());
        Thread runner = new Thread(() -> {
          try {
            daemon.run();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }, "probe-daemon-it");
        runner.start();
        try {
          awaitHostWorkload(coordinator, hostId);
          Experiment submitted = submit(client, hostId);
          GetExperimentResponse done = awaitFinished(client, submitted.getId());

          assertThat(done.getExperiment().getState())
              .as("runs: %s", done.getRunsList())
              .isEqualTo(ExperimentState.EXPERIMENT_STATE_SUCCEEDED);
          assertThat(done.getRunsList()).hasSize(2).allSatisfy(run -> {
            assertThat(run.getState()).as(run.getReason()).isEqualTo(RunState.RUN_STATE_SUCCEEDED);
            assertThat(run.getWorkerId()).isEqualTo(hostId);
            assertWellFormed(run.getResult());
            // The figures for the record, not asserted: latency depends on the host's load.
            System.out.printf("ipi_halt fleet %s: %s%n", run.getFleet(),
                run.getResult().getExplanation());
          });
          RunResult off = resultOf(done, "poll-off");
          RunResult on = resultOf(done, "poll-on");
          assertThat(successfulPollsPerRoundTrip(off)).as("polling off").isLessThan(0.02);
          assertThat(successfulPollsPerRoundTrip(on)).as("polling on").isGreaterThan(0.5);
        } finally {
          daemon.close();
          runner.join(10_000);
        }
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  private static Experiment submit(ExperimentServiceGrpc.ExperimentServiceBlockingStub client,
      String hostId) {
    Workload ipiHalt = Workload.newBuilder()
        .setPlacement(Placement.PLACEMENT_CROSS_CPU)
        .setIpiHalt(IpiHalt.newBuilder().setRoundTrips(ROUND_TRIPS).setWarmupRoundTrips(200))
        .build();
    ExperimentSpec spec = ExperimentSpec.newBuilder()
        .setName("ipi-halt-it")
        .addWorkloads(ipiHalt)
        .addFleets(Fleet.newBuilder().setName("poll-off").putSelector("host.id", hostId)
            .setMicroVm(MicroVm.newBuilder().setHaltPollNs(0)))
        .addFleets(Fleet.newBuilder().setName("poll-on").putSelector("host.id", hostId)
            .setMicroVm(MicroVm.newBuilder().setHaltPollNs(200_000)))
        .setDuration(Durations.fromSeconds(1))
        .build();
    return client.withDeadlineAfter(10, TimeUnit.SECONDS)
        .submit(SubmitRequest.newBuilder().setSpec(spec).build());
  }

  private static void assertWellFormed(RunResult result) throws Exception {
    Histogram histogram = Histogram.decodeFromCompressedByteBuffer(
        ByteBuffer.wrap(result.getHistogram().toByteArray()), 0);
    assertThat(histogram.getTotalCount()).isEqualTo(ROUND_TRIPS);
    assertThat(result.getTransactions()).isEqualTo(ROUND_TRIPS);
    assertThat(result.getTscKhz()).isPositive();
    assertThat(result.getHostCpusList()).hasSize(2).doesNotHaveDuplicates();
    assertThat(result.getHostVcpuCountersList()).filteredOn(c -> c.getSource().equals("stats-fd"))
        .extracting(VmCounters::getVmIdentity).containsExactly("vcpu0", "vcpu1");
    for (int vcpu = 0; vcpu < 2; vcpu++) {
      assertThat((double) stats(result, vcpu).getOrDefault("halt_exits", 0L) / ROUND_TRIPS)
          .as("halt exits of vCPU %d per round trip", vcpu).isBetween(0.9, 1.1);
    }
  }

  private static double successfulPollsPerRoundTrip(RunResult result) {
    return (double) (stats(result, 0).get("halt_successful_poll")
        + stats(result, 1).get("halt_successful_poll")) / ROUND_TRIPS;
  }

  private static Map<String, Long> stats(RunResult result, int vcpu) {
    return result.getHostVcpuCountersList().stream()
        .filter(c -> c.getVmIdentity().equals("vcpu" + vcpu))
        .findFirst().orElseThrow().getStatsMap();
  }

  private static RunResult resultOf(GetExperimentResponse done, String fleet) {
    return done.getRunsList().stream().filter(r -> r.getFleet().equals(fleet))
        .map(Run::getResult).findFirst().orElseThrow();
  }

  private static void awaitHostWorkload(CoordinatorServer coordinator, String hostId)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (coordinator.probes().hosts().stream().anyMatch(h ->
          h.getFacts().getHostId().equals(hostId) && h.getWorkloadsList().contains("ipi_halt"))) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("probe of " + hostId + " did not register ipi_halt within 10 s: "
        + coordinator.probes().hosts());
  }

  private static GetExperimentResponse awaitFinished(
      ExperimentServiceGrpc.ExperimentServiceBlockingStub client, String id)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    GetExperimentResponse last = null;
    while (System.nanoTime() < deadline) {
      last = client.withDeadlineAfter(5, TimeUnit.SECONDS)
          .get(GetExperimentRequest.newBuilder().setId(id).build());
      ExperimentState state = last.getExperiment().getState();
      if (state != ExperimentState.EXPERIMENT_STATE_PENDING
          && state != ExperimentState.EXPERIMENT_STATE_RUNNING) {
        return last;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("experiment " + id + " not finished within 20 s: " + last);
  }
}

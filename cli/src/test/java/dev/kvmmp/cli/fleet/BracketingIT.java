package dev.kvmmp.cli.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import dev.kvmmp.cli.CoordinatorClient;
import dev.kvmmp.cli.bench.BenchQemuVm;
import dev.kvmmp.cli.bench.ChildProcesses;
import dev.kvmmp.cli.local.LocalProbe;
import dev.kvmmp.cli.local.LocalWorkerProcess;
import dev.kvmmp.coordinator.CoordinatorMain;
import dev.kvmmp.coordinator.CoordinatorServer;
import dev.kvmmp.kafka.EmbeddedKafka;
import dev.kvmmp.proto.v1.Condvar;
import dev.kvmmp.proto.v1.ExperimentSpec;
import dev.kvmmp.proto.v1.ExperimentState;
import dev.kvmmp.proto.v1.Fleet;
import dev.kvmmp.proto.v1.HostInfo;
import dev.kvmmp.proto.v1.HostSample;
import dev.kvmmp.proto.v1.InventoryServiceGrpc;
import dev.kvmmp.proto.v1.ListHostsRequest;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunState;
import dev.kvmmp.proto.v1.SampleKind;
import dev.kvmmp.proto.v1.VmCounters;
import dev.kvmmp.proto.v1.VmInfo;
import dev.kvmmp.proto.v1.Workload;
import dev.kvmmp.topics.KvmmpTopics;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bracketing end to end on real parts: a real QEMU/KVM VM, the real probe daemon following it
 * over QMP, a real broker and the coordinator; the guest-worker runs on this machine and poses
 * as that VM's guest (--vm-identity, the VM has no OS to run one). The run is bracketed by the
 * probe's snapshots of that VM, tagged with the run, around the worker's measured window.
 */
class BracketingIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @TempDir
  Path dir;

  private EmbeddedKafka kafka;
  private CoordinatorServer coordinator;
  private ManagedChannel channel;
  private ChildProcesses children;
  private BenchQemuVm vm;
  private LocalProbe probe;
  private LocalWorkerProcess worker;

  @BeforeEach
  void start() throws Exception {
    Assumptions.assumeTrue(Files.getAttribute(Path.of("/proc/self"), "unix:uid").equals(0),
        "the probe needs root");
    Optional<String> noVm = BenchQemuVm.unavailable();
    Assumptions.assumeTrue(noVm.isEmpty(), () -> "no QEMU VM here: " + noVm.orElse(""));
    kafka = new EmbeddedKafka(dir.resolve("kafka"), freePort());
    kafka.start();
    coordinator = CoordinatorMain.start("127.0.0.1", 0, Duration.ofMillis(500),
        Optional.of(kafka.bootstrapServers()));
    String address = "127.0.0.1:" + coordinator.port();
    channel = Grpc.newChannelBuilder(address, InsecureChannelCredentials.create()).build();
    children = new ChildProcesses();
    vm = BenchQemuVm.start(children, "kvmmp-bracketing-it");
    probe = LocalProbe.start(address, Optional.of(kafka.bootstrapServers()), dir.resolve("probe"),
        channel, TIMEOUT);
    await("the probe sees the VM", () -> host().getVmIdentitiesList().contains(vm.uuid()));
    worker = LocalWorkerProcess.start("posing", address, dir.resolve("logs"),
        dir.resolve("state"), List.of("--vm-identity", vm.uuid()));
    await("the worker registered", () -> !new CoordinatorClient(channel).workers().isEmpty());
  }

  @AfterEach
  void stop() throws Exception {
    if (worker != null) {
      worker.close();
    }
    if (probe != null) {
      probe.close();
    }
    if (vm != null) {
      vm.close();
    }
    if (children != null) {
      children.close();
    }
    if (channel != null) {
      channel.shutdownNow();
    }
    if (coordinator != null) {
      coordinator.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void theProbeSnapshotsTheVmAroundTheWorkersWindowTaggedWithTheRun() throws Exception {
    String hostId = host().getFacts().getHostId();
    CoordinatorClient client = new CoordinatorClient(channel);
    assertThat(client.workers().get(0).getLabelsMap()).containsEntry("host.id", hostId);
    ExperimentSpec spec = ExperimentSpec.newBuilder()
        .setName("bracketing")
        .addWorkloads(Workload.newBuilder().setCondvar(Condvar.getDefaultInstance()))
        .addFleets(Fleet.newBuilder().setName("probed").putSelector("host.id", hostId))
        .setDuration(Durations.fromMillis(500))
        .setWarmup(Durations.fromMillis(200))
        .build();
    String id = client.submit(spec).getId();
    await("the run done", () -> client.get(id).getExperiment().getState()
        == ExperimentState.EXPERIMENT_STATE_SUCCEEDED);
    Run run = client.get(id).getRuns(0);
    assertThat(run.getState()).isEqualTo(RunState.RUN_STATE_SUCCEEDED);
    assertThat(run.getBracketed()).isTrue();
    assertThat(run.getHostId()).isEqualTo(hostId);
    assertThat(run.getVmIdentity()).isEqualTo(vm.uuid());
    // Other notes may be there (this kernel's idle trace falls short, say), but none of these.
    assertThat(run.getResult().getNotesList()).as("every edge bracketed")
        .noneMatch(note -> note.contains("not bracketed"));

    await("four snapshots of the run in Kafka", () -> snapshotsOf(run).size() == 4);
    List<HostSample> snapshots = snapshotsOf(run);
    assertThat(snapshots).extracting(HostSample::getKind).containsExactly(
        SampleKind.SAMPLE_KIND_IDLE_BASELINE, SampleKind.SAMPLE_KIND_IDLE_BASELINE_END,
        SampleKind.SAMPLE_KIND_WINDOW_START, SampleKind.SAMPLE_KIND_WINDOW_END);
    assertThat(snapshots).allSatisfy(s -> assertThat(s.getVmsList())
        .extracting(VmCounters::getVmIdentity).containsExactly(vm.uuid()));
    HostSample start = snapshots.get(2);
    HostSample end = snapshots.get(3);
    assertThat(Timestamps.compare(start.getTakenAt(), run.getResult().getWindowStart()))
        .as("start snapshot before the window opens").isLessThanOrEqualTo(0);
    assertThat(Timestamps.compare(end.getTakenAt(), run.getResult().getWindowEnd()))
        .as("end snapshot after the window closes").isGreaterThanOrEqualTo(0);
    assertThat(exits(end)).as("the VM's exits over the window").isGreaterThanOrEqualTo(
        exits(start));
    System.out.printf("run %s: idle baseline %d exits in %d ms; window %d exits, snapshots "
            + "%d ms before it opened and %d ms after it closed%n", run.getId(),
        exits(snapshots.get(1)) - exits(snapshots.get(0)),
        (snapshots.get(1).getMonotonicNs() - snapshots.get(0).getMonotonicNs()) / 1_000_000,
        exits(end) - exits(start),
        Timestamps.toMillis(run.getResult().getWindowStart())
            - Timestamps.toMillis(start.getTakenAt()),
        Timestamps.toMillis(end.getTakenAt())
            - Timestamps.toMillis(run.getResult().getWindowEnd()));
  }

  private List<HostSample> snapshotsOf(Run run) {
    try {
      return TopicRecords.readAll(kafka.bootstrapServers(), KvmmpTopics.HOST_SAMPLES,
              HostSample.parser()).stream()
          .filter(s -> s.getRunId().equals(run.getId()))
          .sorted(Comparator.comparingLong(HostSample::getSequence))
          .toList();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static long exits(HostSample sample) {
    return sample.getVms(0).getStatsOrThrow("exits");
  }

  private HostInfo host() {
    return InventoryServiceGrpc.newBlockingStub(channel)
        .listHosts(ListHostsRequest.getDefaultInstance()).getHosts(0);
  }

  private static void await(String what, BooleanSupplier check) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (!check.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for: " + what);
      }
      Thread.sleep(200);
    }
  }

  private static int freePort() throws java.io.IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}

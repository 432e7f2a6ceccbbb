package dev.kvmmp.probe.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.kvmmp.coordinator.Coordinator;
import dev.kvmmp.probe.hostrun.HostRuns;
import dev.kvmmp.coordinator.grpc.ProbeGrpcService;
import dev.kvmmp.probe.knobs.HostKnobs;
import dev.kvmmp.proto.v1.HostFacts;
import dev.kvmmp.proto.v1.HostSample;
import dev.kvmmp.proto.v1.KnobValue;
import dev.kvmmp.proto.v1.KnobsApplied;
import dev.kvmmp.proto.v1.SampleKind;
import dev.kvmmp.proto.v1.SnapshotTaken;
import dev.kvmmp.proto.v1.VmInfo;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe's session with a real coordinator service over the in-process transport: knobs on a
 * sysfs tree in a temp directory, samples from a fake source.
 */
class HostProbeTest {

  private static final String HOST = "host-t";
  private static final long TIMEOUT_S = 10;

  @TempDir
  Path root;
  @TempDir
  Path stateDir;

  private final String serverName = InProcessServerBuilder.generateName();
  private final FakeSampleSource source = new FakeSampleSource(HOST);
  private final RecordingSampleSink sink = new RecordingSampleSink();
  private ProbeHostTree tree;
  private ProbeGrpcService coordinator;
  private Server server;
  private ManagedChannel channel;
  private SamplingLoop sampling;
  private HostProbe probe;
  private Thread runner;

  @BeforeEach
  void start() throws Exception {
    tree = new ProbeHostTree(root);
    tree.qemu(4242, "6f1c0d2e-0000-4000-8000-000000000001", "vm-one", 4250, 4251);
    source.addVm("6f1c0d2e-0000-4000-8000-000000000001", 4242);
    startCoordinator();
    channel = InProcessChannelBuilder.forName(serverName).build();
    ProbeMetrics metrics = new ProbeMetrics(new SimpleMeterRegistry());
    KnobCommands knobs = new KnobCommands(new HostKnobs(root, HostKnobs.journalIn(stateDir),
        Set.of("halt_poll_ns", "halt_poll_ns_grow")), metrics);
    sampling = new SamplingLoop(source, knobs::current, sink, new VmRoster(root.resolve("proc")),
        metrics, Duration.ofHours(1));
    sampling.start();
    probe = new HostProbe(channel, () -> HostFacts.newBuilder().setHostId(HOST).build(),
        sampling, knobs, metrics, Duration.ofMillis(100),
        new HostRuns(root.resolve("dev/kvm")));
    runner = new Thread(() -> {
      try {
        probe.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "probe-under-test");
    runner.start();
    await("the probe registers", () -> !coordinator.hosts().isEmpty());
  }

  private void startCoordinator() throws Exception {
    coordinator = new ProbeGrpcService(new Coordinator(Clock.systemUTC(), Duration.ofSeconds(1),
        () -> "e-1"), Clock.systemUTC(), Duration.ofSeconds(5),
        Duration.ofSeconds(10));
    server = InProcessServerBuilder.forName(serverName).addService(coordinator).build().start();
  }

  @AfterEach
  void stop() throws Exception {
    source.release.countDown();
    probe.close();
    runner.join(TimeUnit.SECONDS.toMillis(TIMEOUT_S));
    sampling.close();
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void registersWithTheHostsVmsAndTheirVcpuThreads() {
    assertThat(coordinator.vms(HOST)).singleElement().satisfies(vm -> {
      assertThat(vm.getVmIdentity()).isEqualTo("6f1c0d2e-0000-4000-8000-000000000001");
      assertThat(vm.getName()).isEqualTo("vm-one");
      assertThat(vm.getVmmPid()).isEqualTo(4242);
      assertThat(vm.getVcpuTidsList()).containsExactly(4250, 4251);
    });
  }

  @Test
  void appliesKnobsAcknowledgesTheValuesReadBackAndRestoresThem() throws Exception {
    KnobsApplied applied = coordinator.applyKnobs(HOST, dev.kvmmp.proto.v1.HostKnobs.newBuilder()
        .setHaltPollNs(0).setHaltPollNsGrow(4).build()).get(TIMEOUT_S, TimeUnit.SECONDS);

    assertThat(applied.getError()).isEmpty();
    assertThat(applied.getValuesList()).extracting(KnobValue::getName, KnobValue::getValue)
        .containsExactly(tuple("halt_poll_ns", "0"), tuple("halt_poll_ns_grow", "4"));
    assertThat(tree.param("halt_poll_ns")).isEqualTo("0");
    assertThat(HostKnobs.journalIn(stateDir)).as("originals journalled first").exists();

    KnobsApplied restored = coordinator.restoreKnobs(HOST).get(TIMEOUT_S, TimeUnit.SECONDS);

    assertThat(restored.getError()).isEmpty();
    assertThat(restored.getValuesList()).extracting(KnobValue::getName, KnobValue::getValue)
        .containsExactlyInAnyOrder(tuple("halt_poll_ns", "200000"), tuple("halt_poll_ns_grow", "2"));
    assertThat(tree.param("halt_poll_ns")).isEqualTo("200000");
    assertThat(HostKnobs.journalIn(stateDir)).doesNotExist();
  }

  @Test
  void refusesAKnobOffTheAllowlistOrOutOfRangeAndWritesNothing() throws Exception {
    KnobsApplied refused = coordinator.applyKnobs(HOST, dev.kvmmp.proto.v1.HostKnobs.newBuilder()
        .setHaltPollNs(5_000_000_000L).setHaltPollNsShrink(2).build())
        .get(TIMEOUT_S, TimeUnit.SECONDS);

    assertThat(refused.getValuesList()).isEmpty();
    assertThat(refused.getError())
        .contains("halt_poll_ns: 5000000000 is out of range (0..4294967295")
        .contains("halt_poll_ns_shrink: not on this probe's allowlist");
    assertThat(tree.param("halt_poll_ns")).isEqualTo("200000");
    assertThat(tree.param("halt_poll_ns_shrink")).isEqualTo("0");
    assertThat(HostKnobs.journalIn(stateDir)).doesNotExist();
  }

  @Test
  void refusesASecondApplyWhileKnobsAreHeld() throws Exception {
    coordinator.applyKnobs(HOST, dev.kvmmp.proto.v1.HostKnobs.newBuilder().setHaltPollNs(0)
        .build()).get(TIMEOUT_S, TimeUnit.SECONDS);

    KnobsApplied second = coordinator.applyKnobs(HOST, dev.kvmmp.proto.v1.HostKnobs.newBuilder()
        .setHaltPollNsGrow(4).build()).get(TIMEOUT_S, TimeUnit.SECONDS);

    assertThat(second.getError()).contains("are still applied: send restore_knobs first");
    assertThat(tree.param("halt_poll_ns_grow")).isEqualTo("2");
    assertThat(tree.param("halt_poll_ns")).isEqualTo("0");
  }

  @Test
  void takesASnapshotTaggedWithTheRunPublishesItAndAnswersWithIt() throws Exception {
    SnapshotTaken taken = coordinator.takeSnapshot(HOST, "6f1c0d2e-0000-4000-8000-000000000001",
        "run-42", SampleKind.SAMPLE_KIND_WINDOW_START).get(TIMEOUT_S, TimeUnit.SECONDS);

    assertThat(taken.getError()).isEmpty();
    HostSample sample = taken.getSample();
    assertThat(sample.getRunId()).isEqualTo("run-42");
    assertThat(sample.getKind()).isEqualTo(SampleKind.SAMPLE_KIND_WINDOW_START);
    assertThat(sample.getVmsList()).singleElement()
        .satisfies(vm -> assertThat(vm.getStatsOrThrow("exits")).isPositive());
    assertThat(sample.getKnobsList()).extracting(KnobValue::getName, KnobValue::getValue,
        KnobValue::getWritable).contains(tuple("halt_poll_ns", "200000", true),
        tuple("halt_poll_ns_shrink", "0", false));
    HostSample published = sink.await(s -> s.getRunId().equals("run-42"));
    assertThat(published.getSequence()).isEqualTo(sample.getSequence());
    assertThat(sink.samples).extracting(HostSample::getSequence)
        .as("periodic and requested samples share one sequence").isSorted().doesNotHaveDuplicates();
  }

  @Test
  void aSnapshotOfAnUnknownVmSaysWhichVmsThereAre() throws Exception {
    SnapshotTaken taken = coordinator.takeSnapshot(HOST, "no-such-vm", "run-1",
        SampleKind.SAMPLE_KIND_WINDOW_END).get(TIMEOUT_S, TimeUnit.SECONDS);

    assertThat(taken.getError()).isEqualTo("take_snapshot.vm_identity: no VM 'no-such-vm' on "
        + "host 'host-t' (VMs here: 6f1c0d2e-0000-4000-8000-000000000001)");
  }

  @Test
  void tellsTheCoordinatorWhenTheVmsChange() throws Exception {
    tree.qemu(5353, "6f1c0d2e-0000-4000-8000-000000000002", "vm-two", 5360);
    source.addVm("6f1c0d2e-0000-4000-8000-000000000002", 5353);

    sampling.take(SampleKind.SAMPLE_KIND_PERIODIC, "");

    await("the second VM reaches the coordinator", () -> coordinator.vms(HOST).size() == 2);
    assertThat(coordinator.vms(HOST)).extracting(VmInfo::getName)
        .containsExactly("vm-one", "vm-two");
  }

  @Test
  void aProbeThatGoesAwayFailsTheRequestsItHasNotAnswered() throws Exception {
    source.holdKind = SampleKind.SAMPLE_KIND_WINDOW_END;
    CompletableFuture<SnapshotTaken> pending = coordinator.takeSnapshot(HOST, "", "run-9",
        SampleKind.SAMPLE_KIND_WINDOW_END);
    assertThat(source.holding.await(TIMEOUT_S, TimeUnit.SECONDS)).isTrue();

    channel.shutdownNow();

    assertThatThrownBy(() -> pending.get(TIMEOUT_S, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(StatusRuntimeException.class)
        .hasMessageContaining("UNAVAILABLE")
        .hasMessageContaining("went away before answering request");
  }

  @Test
  void reconnectsAfterTheCoordinatorRestartsAndPutsKnobsBackInBetween() throws Exception {
    coordinator.applyKnobs(HOST, dev.kvmmp.proto.v1.HostKnobs.newBuilder().setHaltPollNs(0)
        .build()).get(TIMEOUT_S, TimeUnit.SECONDS);
    assertThat(tree.param("halt_poll_ns")).isEqualTo("0");

    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    await("the knobs are put back when the session ends", () -> paramIs("200000"));
    startCoordinator();

    await("the probe registers with the new coordinator", () -> !coordinator.hosts().isEmpty());
    assertThat(coordinator.vms(HOST)).extracting(VmInfo::getVmmPid).containsExactly(4242);
    KnobsApplied again = coordinator.applyKnobs(HOST, dev.kvmmp.proto.v1.HostKnobs.newBuilder()
        .setHaltPollNs(1000).build()).get(TIMEOUT_S, TimeUnit.SECONDS);
    assertThat(again.getError()).isEmpty();
  }

  @Test
  void putsKnobsBackWhenTheProbeStops() throws Exception {
    coordinator.applyKnobs(HOST, dev.kvmmp.proto.v1.HostKnobs.newBuilder().setHaltPollNs(0)
        .build()).get(TIMEOUT_S, TimeUnit.SECONDS);

    probe.close();

    assertThat(tree.param("halt_poll_ns")).isEqualTo("200000");
    assertThat(HostKnobs.journalIn(stateDir)).doesNotExist();
  }

  private boolean paramIs(String value) {
    try {
      return tree.param("halt_poll_ns").equals(value);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_S);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(what + ": not within " + TIMEOUT_S + " s");
      }
      Thread.sleep(10);
    }
  }
}

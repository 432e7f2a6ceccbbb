package dev.kvmmp.coordinator.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvmmp.coordinator.Coordinator;
import dev.kvmmp.coordinator.TestClock;
import dev.kvmmp.proto.v1.CoordinatorToProbe;
import dev.kvmmp.proto.v1.HostFacts;
import dev.kvmmp.proto.v1.HostKnobs;
import dev.kvmmp.proto.v1.KnobValue;
import dev.kvmmp.proto.v1.KnobsApplied;
import dev.kvmmp.proto.v1.ProbeMessage;
import dev.kvmmp.proto.v1.ProbeRegister;
import dev.kvmmp.proto.v1.ProbeServiceGrpc;
import dev.kvmmp.proto.v1.SampleKind;
import dev.kvmmp.proto.v1.SnapshotTaken;
import dev.kvmmp.proto.v1.VmInfo;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The coordinator's side of probe streams, against a scripted probe. */
class ProbeGrpcServiceTest {

  private final TestClock clock = new TestClock();
  private ProbeGrpcService service;
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    String name = InProcessServerBuilder.generateName();
    service = new ProbeGrpcService(new Coordinator(clock, Duration.ofSeconds(1), () -> "e-1"),
        clock, Duration.ofMillis(500), Duration.ofSeconds(10));
    server = InProcessServerBuilder.forName(name).addService(service).build().start();
    channel = InProcessChannelBuilder.forName(name).build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void answersCompleteTheRequestWithTheSameId() throws Exception {
    ScriptedProbe probe = connect("host-a");
    CompletableFuture<KnobsApplied> applied = service.applyKnobs("host-a",
        HostKnobs.newBuilder().setHaltPollNs(0).build());
    CompletableFuture<SnapshotTaken> snapshot = service.takeSnapshot("host-a", "vm-1", "run-7",
        SampleKind.SAMPLE_KIND_WINDOW_START);

    CoordinatorToProbe first = probe.next();
    CoordinatorToProbe second = probe.next();
    assertThat(first.getApplyKnobs().getKnobs().getHaltPollNs()).isZero();
    assertThat(second.getTakeSnapshot().getRunId()).isEqualTo("run-7");
    assertThat(second.getTakeSnapshot().getVmIdentity()).isEqualTo("vm-1");
    // Answered in the other order: the ids, not the order, pair them.
    probe.send(ProbeMessage.newBuilder().setSnapshotTaken(SnapshotTaken.newBuilder()
        .setRequestId(second.getTakeSnapshot().getRequestId())).build());
    probe.send(ProbeMessage.newBuilder().setKnobsApplied(KnobsApplied.newBuilder()
        .setRequestId(first.getApplyKnobs().getRequestId())
        .addValues(KnobValue.newBuilder().setName("halt_poll_ns").setValue("0"))).build());

    assertThat(applied.get(5, TimeUnit.SECONDS).getValues(0).getValue()).isEqualTo("0");
    assertThat(snapshot.get(5, TimeUnit.SECONDS).getRequestId())
        .isEqualTo(second.getTakeSnapshot().getRequestId());
  }

  @Test
  void pendingRequestsFailWhenTheProbeDisconnects() throws Exception {
    ScriptedProbe probe = connect("host-a");
    CompletableFuture<KnobsApplied> restored = service.restoreKnobs("host-a");
    probe.next();

    probe.requests.onCompleted();

    assertThatThrownBy(() -> restored.get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(StatusRuntimeException.class)
        .hasMessageContaining("UNAVAILABLE")
        .hasMessageContaining("probe of host 'host-a' went away before answering request");
    assertThat(service.hosts()).isEmpty();
  }

  @Test
  void aRequestTheProbeDoesNotAnswerTimesOut() {
    connect("host-a");

    CompletableFuture<KnobsApplied> restored = service.restoreKnobs("host-a");

    assertThatThrownBy(() -> restored.get(5, TimeUnit.SECONDS))
        .cause().isInstanceOf(StatusRuntimeException.class)
        .hasMessageContaining("DEADLINE_EXCEEDED")
        .hasMessageContaining("did not answer request")
        .hasMessageContaining("within 500 ms");
  }

  @Test
  void aRequestToAHostWithoutProbeFailsNamingTheConnectedOnes() throws Exception {
    connect("host-a");

    assertThatThrownBy(() -> service.restoreKnobs("host-b").get(5, TimeUnit.SECONDS))
        .cause().hasMessage("NOT_FOUND: no probe connected for host 'host-b' (connected: "
            + "host-a)");
  }

  @Test
  void registersTheHostWithItsVmsAndFollowsChanges() throws Exception {
    ScriptedProbe probe = connect("host-a");
    assertThat(service.vms("host-a")).extracting(VmInfo::getVmIdentity).containsExactly("vm-1");

    probe.send(ProbeMessage.newBuilder().setVmsChanged(dev.kvmmp.proto.v1.VmsChanged.newBuilder()
        .addVms(VmInfo.newBuilder().setVmIdentity("vm-2"))).build());

    awaitVms("host-a", "vm-2");
    assertThat(service.hosts()).singleElement()
        .satisfies(host -> assertThat(host.getVmIdentitiesList()).containsExactly("vm-2"));
  }

  @Test
  void refusesASecondProbeForTheSameHost() throws Exception {
    connect("host-a");
    ScriptedProbe second = connect("host-a");

    assertThat(second.awaitError().getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
  }

  @Test
  void dropsAProbeThatFellSilent() throws Exception {
    ScriptedProbe probe = connect("host-a");
    CompletableFuture<KnobsApplied> restored = service.restoreKnobs("host-a");
    clock.advance(Duration.ofSeconds(11));

    assertThat(service.expireSilentProbes()).containsExactly("host-a");

    assertThat(probe.awaitError().getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThatThrownBy(() -> restored.get(5, TimeUnit.SECONDS))
        .hasMessageContaining("no message from the probe for 10 s");
  }

  private void awaitVms(String hostId, String identity) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (!service.vms(hostId).stream().anyMatch(v -> v.getVmIdentity().equals(identity))) {
      assertThat(System.nanoTime()).as("VMs of %s within 5 s", hostId).isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  /** Registers a probe and waits until the coordinator has it. */
  private ScriptedProbe connect(String hostId) {
    ScriptedProbe probe = new ScriptedProbe();
    probe.requests = ProbeServiceGrpc.newStub(channel).connect(probe);
    int before = service.hosts().size();
    probe.send(ProbeMessage.newBuilder().setRegister(ProbeRegister.newBuilder()
        .setFacts(HostFacts.newBuilder().setHostId(hostId))
        .addVms(VmInfo.newBuilder().setVmIdentity("vm-1"))).build());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (service.hosts().size() == before && probe.error == null
        && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    return probe;
  }

  /** The probe's end of a stream, driven by the test. */
  private static final class ScriptedProbe implements StreamObserver<CoordinatorToProbe> {

    private final BlockingQueue<CoordinatorToProbe> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<StatusRuntimeException> ended = new CompletableFuture<>();
    private volatile Throwable error;
    private StreamObserver<ProbeMessage> requests;

    void send(ProbeMessage message) {
      requests.onNext(message);
    }

    CoordinatorToProbe next() throws InterruptedException {
      CoordinatorToProbe message = received.poll(5, TimeUnit.SECONDS);
      assertThat(message).as("a request within 5 s").isNotNull();
      return message;
    }

    StatusRuntimeException awaitError() throws Exception {
      return ended.get(5, TimeUnit.SECONDS);
    }

    @Override
    public void onNext(CoordinatorToProbe value) {
      received.add(value);
    }

    @Override
    public void onError(Throwable t) {
      error = t;
      ended.complete(Status.fromThrowable(t).asRuntimeException());
    }

    @Override
    public void onCompleted() {
      ended.complete(Status.OK.asRuntimeException());
    }
  }
}

package dev.kvmmp.coordinator.grpc;

import dev.kvmmp.coordinator.Coordinator;
import dev.kvmmp.coordinator.HostRequests;
import dev.kvmmp.coordinator.probes.ConnectedProbe;
import dev.kvmmp.proto.v1.ApplyKnobs;
import dev.kvmmp.proto.v1.CoordinatorToProbe;
import dev.kvmmp.proto.v1.HostInfo;
import dev.kvmmp.proto.v1.HostKnobs;
import dev.kvmmp.proto.v1.KnobsApplied;
import dev.kvmmp.proto.v1.ProbeMessage;
import dev.kvmmp.proto.v1.ProbeServiceGrpc;
import dev.kvmmp.proto.v1.RestoreKnobs;
import dev.kvmmp.proto.v1.SampleKind;
import dev.kvmmp.proto.v1.SnapshotTaken;
import dev.kvmmp.proto.v1.TakeSnapshot;
import dev.kvmmp.proto.v1.VmInfo;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probe streams: keeps each connected host's facts and VMs for the inventory, sends a probe
 * knob and snapshot requests whose answers come back as futures, and hands the coordinator the
 * probe as a target of host workloads (ipi_halt) with the progress and results of its runs. A future fails (a
 * {@code StatusRuntimeException}) when the host has no probe, when the probe does not answer in
 * time, or when it disconnects first.
 */
public final class ProbeGrpcService extends ProbeServiceGrpc.ProbeServiceImplBase
    implements HostRequests {

  private static final Logger log = LoggerFactory.getLogger(ProbeGrpcService.class);
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
  /** Probes heartbeat every second; ten missed ones mean a hung probe or a dead connection. */
  public static final Duration DEFAULT_SILENCE_LIMIT = Duration.ofSeconds(10);

  private final Map<String, ConnectedProbe> probes = new ConcurrentHashMap<>();
  private final Coordinator coordinator;
  private final AtomicLong requestIds = new AtomicLong();
  private final Clock clock;
  private final Duration requestTimeout;
  private final Duration silenceLimit;

  public ProbeGrpcService(Coordinator coordinator, Clock clock) {
    this(coordinator, clock, DEFAULT_REQUEST_TIMEOUT, DEFAULT_SILENCE_LIMIT);
  }

  public ProbeGrpcService(Coordinator coordinator, Clock clock, Duration requestTimeout,
      Duration silenceLimit) {
    this.coordinator = coordinator;
    this.clock = clock;
    this.requestTimeout = requestTimeout;
    this.silenceLimit = silenceLimit;
  }

  public List<HostInfo> hosts() {
    return probes.values().stream().map(ConnectedProbe::toInfo).toList();
  }

  /** The VMs the probe of {@code hostId} last reported; empty when no probe is connected. */
  public List<VmInfo> vms(String hostId) {
    ConnectedProbe probe = probes.get(hostId);
    return probe == null ? List.of() : probe.vms();
  }

  /** Sets host knobs; the answer's {@code error} is set when the probe refused them. */
  @Override
  public CompletableFuture<KnobsApplied> applyKnobs(String hostId, HostKnobs knobs) {
    String id = nextRequestId();
    return send(hostId, id, "apply_knobs", ProbeMessage.MessageCase.KNOBS_APPLIED,
        CoordinatorToProbe.newBuilder()
            .setApplyKnobs(ApplyKnobs.newBuilder().setRequestId(id).setKnobs(knobs)).build())
        .thenApply(ProbeMessage::getKnobsApplied);
  }

  /** Puts back every host knob the probe changed. */
  @Override
  public CompletableFuture<KnobsApplied> restoreKnobs(String hostId) {
    String id = nextRequestId();
    return send(hostId, id, "restore_knobs", ProbeMessage.MessageCase.KNOBS_APPLIED,
        CoordinatorToProbe.newBuilder()
            .setRestoreKnobs(RestoreKnobs.newBuilder().setRequestId(id)).build())
        .thenApply(ProbeMessage::getKnobsApplied);
  }

  /** A snapshot of one VM's counters (every VM's for an empty identity), tagged with a run. */
  @Override
  public CompletableFuture<SnapshotTaken> takeSnapshot(String hostId, String vmIdentity,
      String runId, SampleKind kind) {
    String id = nextRequestId();
    return send(hostId, id, "take_snapshot", ProbeMessage.MessageCase.SNAPSHOT_TAKEN,
        CoordinatorToProbe.newBuilder().setTakeSnapshot(TakeSnapshot.newBuilder()
            .setRequestId(id).setVmIdentity(vmIdentity).setRunId(runId).setKind(kind)).build())
        .thenApply(ProbeMessage::getSnapshotTaken);
  }

  /** Closes the streams of probes silent for longer than the limit; returns their host ids. */
  public List<String> expireSilentProbes() {
    Instant deadline = clock.instant().minus(silenceLimit);
    List<ConnectedProbe> silent = probes.values().stream()
        .filter(probe -> probe.lastHeard().isBefore(deadline))
        .toList();
    for (ConnectedProbe probe : silent) {
      if (probes.remove(probe.hostId(), probe)) {
        log.info("probe of host {} silent for over {} s; disconnected", probe.hostId(),
            silenceLimit.toSeconds());
        Status status = Status.UNAVAILABLE.withDescription("no message from the probe for "
            + silenceLimit.toSeconds() + " s");
        probe.close(status);
        coordinator.disconnected(probe, status.getDescription());
      }
    }
    return silent.stream().map(ConnectedProbe::hostId).toList();
  }

  private CompletableFuture<ProbeMessage> send(String hostId, String requestId, String what,
      ProbeMessage.MessageCase expected, CoordinatorToProbe message) {
    ConnectedProbe probe = probes.get(hostId);
    if (probe == null) {
      return CompletableFuture.failedFuture(Status.NOT_FOUND
          .withDescription("no probe connected for host '" + hostId + "' (connected: "
              + (probes.isEmpty() ? "none" : String.join(", ", new TreeSet<>(probes.keySet())))
              + ")")
          .asRuntimeException());
    }
    return probe.request(requestId, what, expected, message, requestTimeout);
  }

  private String nextRequestId() {
    return "req-" + requestIds.incrementAndGet();
  }

  @Override
  public StreamObserver<ProbeMessage> connect(StreamObserver<CoordinatorToProbe> response) {
    return new ProbeStream(response);
  }

  /** One probe's stream: register first, then heartbeats, VM changes and answers. */
  private final class ProbeStream implements StreamObserver<ProbeMessage> {

    private final StreamObserver<CoordinatorToProbe> response;
    private ConnectedProbe probe;
    private boolean closed;

    ProbeStream(StreamObserver<CoordinatorToProbe> response) {
      this.response = response;
    }

    @Override
    public void onNext(ProbeMessage message) {
      if (closed) {
        return;
      }
      if (probe == null) {
        register(message);
        return;
      }
      probe.heard(clock.instant());
      switch (message.getMessageCase()) {
        case HEARTBEAT -> { }
        case VMS_CHANGED -> {
          probe.vmsChanged(message.getVmsChanged().getVmsList());
          coordinator.probeVmsChanged(probe);
        }
        case KNOBS_APPLIED -> answer(message.getKnobsApplied().getRequestId(), message);
        case SNAPSHOT_TAKEN -> answer(message.getSnapshotTaken().getRequestId(), message);
        case PROGRESS -> coordinator.runProgress(probe, message.getProgress());
        case COMPLETED -> coordinator.completed(probe, message.getCompleted());
        case FAILED -> coordinator.failed(probe, message.getFailed());
        default -> reject(Status.INVALID_ARGUMENT.withDescription("probe of host '"
            + probe.hostId() + "' sent " + message.getMessageCase() + " after registering"));
      }
    }

    private void register(ProbeMessage message) {
      if (!message.hasRegister()) {
        reject(Status.FAILED_PRECONDITION.withDescription(
            "the first message of a probe stream must be register, not "
                + message.getMessageCase()));
        return;
      }
      String hostId = message.getRegister().getFacts().getHostId();
      if (hostId.isBlank()) {
        reject(Status.INVALID_ARGUMENT.withDescription(
            "register.facts.host_id: empty (required; the probe's --host-id)"));
        return;
      }
      ConnectedProbe candidate = new ConnectedProbe(message.getRegister().getFacts(),
          message.getRegister().getVmsList(), message.getRegister().getWorkloadsList(),
          message.getRegister().getAllowedKnobsList(), response, clock.instant());
      if (probes.putIfAbsent(hostId, candidate) != null) {
        reject(Status.ALREADY_EXISTS.withDescription("a probe of host '" + hostId
            + "' is already connected; give each probe its own --host-id"));
        return;
      }
      probe = candidate;
      log.info("probe of host {} registered with {} VM(s), host workloads {}", hostId,
          message.getRegister().getVmsCount(), message.getRegister().getWorkloadsList());
      coordinator.probeConnected(candidate);
    }

    private void answer(String requestId, ProbeMessage message) {
      if (!probe.answer(requestId, message)) {
        log.info("probe of host {} answered request {} after it timed out; ignored",
            probe.hostId(), requestId);
      }
    }

    private void reject(Status status) {
      gone(status);
      closed = true;
      response.onError(status.asRuntimeException());
    }

    @Override
    public void onError(Throwable t) {
      gone(Status.UNAVAILABLE.withDescription("stream broke (" + Status.fromThrowable(t) + ")"));
    }

    @Override
    public void onCompleted() {
      gone(Status.UNAVAILABLE.withDescription("the probe closed its stream"));
      if (!closed) {
        closed = true;
        response.onCompleted();
      }
    }

    private void gone(Status status) {
      if (probe != null && probes.remove(probe.hostId(), probe)) {
        log.info("probe of host {} disconnected: {}", probe.hostId(), status.getDescription());
      }
      if (probe != null) {
        probe.fail(status);
        coordinator.disconnected(probe, status.getDescription());
      }
    }
  }
}

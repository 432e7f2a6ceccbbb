package dev.kvmmp.coordinator.probes;

import com.google.protobuf.util.Timestamps;
import dev.kvmmp.coordinator.scheduling.HostLabels;
import dev.kvmmp.coordinator.scheduling.RunTarget;
import dev.kvmmp.proto.v1.AssignRun;
import dev.kvmmp.proto.v1.CancelRun;
import dev.kvmmp.proto.v1.CoordinatorToProbe;
import dev.kvmmp.proto.v1.HostFacts;
import dev.kvmmp.proto.v1.HostInfo;
import dev.kvmmp.proto.v1.ProbeMessage;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.VmInfo;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A host-probe with an open stream: its facts and VMs, the requests sent to it that await
 * an answer, and the host workload run it holds. Each request fails when its timeout passes or
 * the probe goes away; a future never stays pending for good. The current run is only touched
 * under the coordinator's lock.
 */
public final class ConnectedProbe implements RunTarget {

  private static final Logger log = LoggerFactory.getLogger(ConnectedProbe.class);

  /** A request in flight: what was asked, and which answer it expects. */
  private record Pending(String what, ProbeMessage.MessageCase expected,
      CompletableFuture<ProbeMessage> answer) {}

  private final String hostId;
  private final HostFacts facts;
  private final StreamObserver<CoordinatorToProbe> stream;
  private final Instant connectedAt;
  private final Map<String, Pending> pending = new ConcurrentHashMap<>();
  private volatile List<VmInfo> vms;
  private volatile Instant lastHeard;
  private volatile boolean gone;
  private final Map<String, String> labels;
  private final Set<String> workloads;
  private final Set<String> allowedKnobs;
  // Volatile for toInfo(), which the inventory calls without the coordinator's lock.
  private volatile String currentRunId = "";

  public ConnectedProbe(HostFacts facts, List<VmInfo> vms,
      StreamObserver<CoordinatorToProbe> stream, Instant connectedAt) {
    this(facts, vms, List.of(), stream, connectedAt);
  }

  /** @param workloads the host workloads it can run, e.g. "ipi_halt" */
  public ConnectedProbe(HostFacts facts, List<VmInfo> vms, List<String> workloads,
      StreamObserver<CoordinatorToProbe> stream, Instant connectedAt) {
    this(facts, vms, workloads, List.of(), stream, connectedAt);
  }

  /** @param allowedKnobs the host knobs it may set (its --allow-knob list) */
  public ConnectedProbe(HostFacts facts, List<VmInfo> vms, List<String> workloads,
      List<String> allowedKnobs, StreamObserver<CoordinatorToProbe> stream, Instant connectedAt) {
    this.allowedKnobs = Set.copyOf(allowedKnobs);
    this.hostId = facts.getHostId();
    this.facts = facts;
    this.labels = HostLabels.of(facts);
    this.workloads = Set.copyOf(workloads);
    this.vms = List.copyOf(vms);
    this.stream = stream;
    this.connectedAt = connectedAt;
    this.lastHeard = connectedAt;
  }

  public String hostId() {
    return hostId;
  }

  @Override
  public String id() {
    return hostId;
  }

  @Override
  public String describe() {
    return "probe of host '" + hostId + "'";
  }

  @Override
  public Map<String, String> labels() {
    return labels;
  }

  @Override
  public boolean supports(String workloadKind) {
    return workloads.contains(workloadKind);
  }

  @Override
  public Optional<String> currentRunId() {
    return currentRunId.isEmpty() ? Optional.empty() : Optional.of(currentRunId);
  }

  /** The host knobs this probe may set. */
  public Set<String> allowedKnobs() {
    return allowedKnobs;
  }

  @Override
  public void hold(String runId) {
    currentRunId = runId;
  }

  @Override
  public void start(Run run) {
    currentRunId = run.getId();
    send(CoordinatorToProbe.newBuilder().setAssignRun(AssignRun.newBuilder().setRun(run))
        .build());
  }

  @Override
  public void cancel(String runId, String reason) {
    send(CoordinatorToProbe.newBuilder().setCancelRun(CancelRun.newBuilder().setRunId(runId)
        .setReason(reason)).build());
    release();
  }

  @Override
  public void release() {
    currentRunId = "";
  }

  /** A run message: a probe gone or a stream that refuses it loses it, and says so in the log. */
  private void send(CoordinatorToProbe message) {
    synchronized (stream) {
      try {
        stream.onNext(message);
      } catch (RuntimeException e) {
        log.info("probe of host {}: sending {} failed: {}", hostId, message.getMessageCase(),
            e.toString());
      }
    }
  }

  public List<VmInfo> vms() {
    return vms;
  }

  public void vmsChanged(List<VmInfo> now) {
    vms = List.copyOf(now);
  }

  public Instant lastHeard() {
    return lastHeard;
  }

  public void heard(Instant at) {
    lastHeard = at;
  }

  public HostInfo toInfo() {
    return HostInfo.newBuilder()
        .setFacts(facts)
        .addAllVmIdentities(vms.stream().map(VmInfo::getVmIdentity).toList())
        .addAllWorkloads(workloads.stream().sorted().toList())
        .setCurrentRunId(currentRunId)
        .setConnectedAt(Timestamps.fromMillis(connectedAt.toEpochMilli()))
        .build();
  }

  /**
   * Sends {@code message} and returns its answer: a {@code StatusRuntimeException} with
   * DEADLINE_EXCEEDED when none comes within {@code timeout}, UNAVAILABLE when the probe goes
   * away first.
   */
  public CompletableFuture<ProbeMessage> request(String requestId, String what,
      ProbeMessage.MessageCase expected, CoordinatorToProbe message, Duration timeout) {
    CompletableFuture<ProbeMessage> answer = new CompletableFuture<>();
    pending.put(requestId, new Pending(what, expected, answer));
    answer.whenComplete((result, failure) -> pending.remove(requestId));
    CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS).execute(() ->
        answer.completeExceptionally(Status.DEADLINE_EXCEEDED
            .withDescription("probe of host '" + hostId + "' did not answer request " + requestId
                + " (" + what + ") within " + timeout.toMillis() + " ms")
            .asRuntimeException()));
    if (gone) {
      fail(Status.UNAVAILABLE.withDescription("it disconnected"));
      return answer;
    }
    synchronized (stream) {
      try {
        stream.onNext(message);
      } catch (RuntimeException e) {
        answer.completeExceptionally(Status.UNAVAILABLE.withCause(e)
            .withDescription("probe of host '" + hostId + "': sending request " + requestId
                + " (" + what + ") failed: " + e)
            .asRuntimeException());
      }
    }
    return answer;
  }

  /**
   * Completes the request {@code requestId} with {@code answer}; false when no such request is
   * pending (answered late, after its timeout).
   */
  public boolean answer(String requestId, ProbeMessage answer) {
    Pending request = pending.get(requestId);
    if (request == null) {
      return false;
    }
    if (answer.getMessageCase() != request.expected()) {
      request.answer().completeExceptionally(Status.INTERNAL
          .withDescription("probe of host '" + hostId + "' answered request " + requestId + " ("
              + request.what() + ") with " + answer.getMessageCase() + ", expected "
              + request.expected())
          .asRuntimeException());
    } else {
      request.answer().complete(answer);
    }
    return true;
  }

  /** The probe is gone: every pending request fails with {@code status} and the reason. */
  public void fail(Status status) {
    gone = true;
    for (Map.Entry<String, Pending> entry : Map.copyOf(pending).entrySet()) {
      entry.getValue().answer().completeExceptionally(status
          .withDescription("probe of host '" + hostId + "' went away before answering request "
              + entry.getKey() + " (" + entry.getValue().what() + "): " + status.getDescription())
          .asRuntimeException());
    }
  }

  /** Ends the stream from the coordinator's side, e.g. when the probe went silent. */
  public void close(Status status) {
    fail(status);
    synchronized (stream) {
      try {
        stream.onError(status.asRuntimeException());
      } catch (RuntimeException e) {
        // Already closed by the other side: nothing left to tell it.
      }
    }
  }
}

package dev.kvmmp.coordinator.probes;

import com.google.protobuf.util.Timestamps;
import dev.kvmmp.proto.v1.CoordinatorToProbe;
import dev.kvmmp.proto.v1.HostFacts;
import dev.kvmmp.proto.v1.HostInfo;
import dev.kvmmp.proto.v1.ProbeMessage;
import dev.kvmmp.proto.v1.VmInfo;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A host-probe with an open stream: its facts and VMs, and the requests sent to it that await
 * an answer. Each request fails when its timeout passes or the probe goes away; a future never
 * stays pending for good.
 */
public final class ConnectedProbe {

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

  public ConnectedProbe(HostFacts facts, List<VmInfo> vms,
      StreamObserver<CoordinatorToProbe> stream, Instant connectedAt) {
    this.hostId = facts.getHostId();
    this.facts = facts;
    this.vms = List.copyOf(vms);
    this.stream = stream;
    this.connectedAt = connectedAt;
    this.lastHeard = connectedAt;
  }

  public String hostId() {
    return hostId;
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

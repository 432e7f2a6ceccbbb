package dev.kvmmp.coordinator.workers;

import dev.kvmmp.proto.v1.CoordinatorToWorker;
import dev.kvmmp.proto.v1.GuestFacts;
import dev.kvmmp.proto.v1.WorkerInfo;
import dev.kvmmp.coordinator.scheduling.RunTarget;
import dev.kvmmp.coordinator.scheduling.WorkerLabels;
import dev.kvmmp.proto.v1.AssignRun;
import dev.kvmmp.proto.v1.CancelRun;
import dev.kvmmp.proto.v1.Run;
import com.google.protobuf.util.Timestamps;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A worker with an open stream. Mutable state (current run, last heartbeat, host) is only
 * touched under the coordinator's lock.
 */
public final class ConnectedWorker implements RunTarget {

  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(ConnectedWorker.class);

  private final String workerId;
  private final GuestFacts facts;
  private final Map<String, String> ownLabels;
  private Map<String, String> labels;
  private String hostId = "";
  private final Set<String> workloads;
  private final StreamObserver<CoordinatorToWorker> stream;
  private final Instant connectedAt;
  private final Duration heartbeatInterval;
  // Volatile: heartbeats are recorded without the coordinator's lock.
  private volatile Instant lastHeartbeat;
  private String currentRunId = "";

  public ConnectedWorker(String workerId, GuestFacts facts, List<String> workloads,
      StreamObserver<CoordinatorToWorker> stream, Instant connectedAt) {
    this(workerId, facts, workloads, stream, connectedAt, Duration.ofSeconds(1));
  }

  /** @param heartbeatInterval what the worker was told at registration */
  public ConnectedWorker(String workerId, GuestFacts facts, List<String> workloads,
      StreamObserver<CoordinatorToWorker> stream, Instant connectedAt,
      Duration heartbeatInterval) {
    this.heartbeatInterval = heartbeatInterval;
    this.workerId = workerId;
    this.facts = facts;
    this.ownLabels = WorkerLabels.of(workerId, facts);
    this.labels = ownLabels;
    this.workloads = Set.copyOf(workloads);
    this.stream = stream;
    this.connectedAt = connectedAt;
    this.lastHeartbeat = connectedAt;
  }

  @Override
  public String id() {
    return workerId;
  }

  @Override
  public String describe() {
    return "worker '" + workerId + "'";
  }

  @Override
  public Map<String, String> labels() {
    return labels;
  }

  /** The VM it runs in, as its guest reports it; empty when unknown. */
  public String vmIdentity() {
    return facts.getVmIdentity();
  }

  /** The KVM host it runs on, when a probe there sees its VM; empty otherwise. */
  public String hostId() {
    return hostId;
  }

  /** Places it on a host (or none, with an empty id): its labels gain the host's. */
  public void placeOnHost(String newHostId, Map<String, String> hostLabels) {
    hostId = newHostId;
    Map<String, String> merged = new java.util.TreeMap<>(ownLabels);
    merged.putAll(hostLabels);
    labels = Map.copyOf(merged);
  }

  @Override
  public boolean supports(String workloadKind) {
    return workloads.contains(workloadKind);
  }

  public Set<String> workloads() {
    return workloads;
  }

  public StreamObserver<CoordinatorToWorker> stream() {
    return stream;
  }

  @Override
  public Optional<String> currentRunId() {
    return currentRunId.isEmpty() ? Optional.empty() : Optional.of(currentRunId);
  }

  @Override
  public void hold(String runId) {
    currentRunId = runId;
  }

  @Override
  public void start(Run run) {
    hold(run.getId());
    send(CoordinatorToWorker.newBuilder().setAssign(AssignRun.newBuilder().setRun(run)).build());
  }

  @Override
  public void cancel(String runId, String reason) {
    // Still held: the worker answers with the run's end, and only then is free (see
    // Coordinator#discard); an assignment before that would find it busy.
    send(CoordinatorToWorker.newBuilder()
        .setCancel(CancelRun.newBuilder().setRunId(runId).setReason(reason)).build());
  }

  /**
   * Sends a message on the worker's stream. Answers to probe requests arrive on other threads,
   * and a stream takes one message at a time; a stream already gone drops it (the worker sends
   * what matters again when it reconnects).
   */
  public void send(CoordinatorToWorker message) {
    synchronized (stream) {
      try {
        stream.onNext(message);
      } catch (RuntimeException e) {
        log.debug("worker {}: sending {} failed: {}", workerId, message.getMessageCase(),
            e.toString());
      }
    }
  }

  @Override
  public void release() {
    currentRunId = "";
  }

  public Duration heartbeatInterval() {
    return heartbeatInterval;
  }

  public Instant lastHeartbeat() {
    return lastHeartbeat;
  }

  public void heartbeat(Instant at) {
    lastHeartbeat = at;
  }

  public WorkerInfo toInfo() {
    return WorkerInfo.newBuilder()
        .setWorkerId(workerId)
        .setFacts(facts)
        .putAllLabels(labels)
        .addAllWorkloads(workloads.stream().sorted().toList())
        .setConnectedAt(Timestamps.fromMillis(connectedAt.toEpochMilli()))
        .setLastHeartbeat(Timestamps.fromMillis(lastHeartbeat.toEpochMilli()))
        .setCurrentRunId(currentRunId)
        .build();
  }
}

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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A worker with an open stream. Mutable state (current run, last heartbeat) is only touched
 * under the coordinator's lock.
 */
public final class ConnectedWorker implements RunTarget {

  private final String workerId;
  private final GuestFacts facts;
  private final Map<String, String> labels;
  private final Set<String> workloads;
  private final StreamObserver<CoordinatorToWorker> stream;
  private final Instant connectedAt;
  private Instant lastHeartbeat;
  private String currentRunId = "";

  public ConnectedWorker(String workerId, GuestFacts facts, List<String> workloads,
      StreamObserver<CoordinatorToWorker> stream, Instant connectedAt) {
    this.workerId = workerId;
    this.facts = facts;
    this.labels = WorkerLabels.of(workerId, facts);
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

  public void assign(String runId) {
    currentRunId = runId;
  }

  @Override
  public void start(Run run) {
    assign(run.getId());
    stream.onNext(CoordinatorToWorker.newBuilder()
        .setAssign(AssignRun.newBuilder().setRun(run)).build());
  }

  @Override
  public void cancel(String runId, String reason) {
    stream.onNext(CoordinatorToWorker.newBuilder()
        .setCancel(CancelRun.newBuilder().setRunId(runId).setReason(reason)).build());
    release();
  }

  @Override
  public void release() {
    currentRunId = "";
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

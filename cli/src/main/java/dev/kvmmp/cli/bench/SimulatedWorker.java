package dev.kvmmp.cli.bench;

import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import dev.kvmmp.proto.v1.CancelRun;
import dev.kvmmp.proto.v1.CoordinatorToWorker;
import dev.kvmmp.proto.v1.GuestFacts;
import dev.kvmmp.proto.v1.Heartbeat;
import dev.kvmmp.proto.v1.Register;
import dev.kvmmp.proto.v1.Registered;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunCompleted;
import dev.kvmmp.proto.v1.WorkerMessage;
import dev.kvmmp.proto.v1.WorkerServiceGrpc.WorkerServiceStub;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One simulated guest-worker on its own WorkerService.Connect stream: registers with facts of a
 * VM of its own, sends heartbeats at the interval the coordinator asks for, and "runs" each
 * assigned run by waiting the simulated run time before it sends a consistent result.
 */
final class SimulatedWorker implements StreamObserver<CoordinatorToWorker> {

  private final String id;
  private final int vcpus;
  private final SimulatedFleet fleet;
  private volatile StreamObserver<WorkerMessage> requests;
  private volatile boolean assignedBefore;
  /** When the last result was sent while runs of its fleet were pending; -1 otherwise. */
  private volatile long waitingSince = -1;
  private ScheduledFuture<?> heartbeats;
  private ScheduledFuture<?> running;
  private String runningId = "";

  SimulatedWorker(String id, int vcpus, SimulatedFleet fleet) {
    this.id = id;
    this.vcpus = vcpus;
    this.fleet = fleet;
  }

  /** Opens the stream and registers. */
  void connect(WorkerServiceStub stub, int index) {
    requests = stub.connect(this);
    send(WorkerMessage.newBuilder().setRegister(Register.newBuilder()
        .setWorkerId(id)
        .setFacts(GuestFacts.newBuilder()
            // A VM and a host of its own, so that no per-VM or per-host exclusivity applies.
            .setVmIdentity("bench-vm-" + index)
            .setVmIdentitySource("bench")
            .setHostname("bench-host-" + index)
            .setVcpus(vcpus))
        .addWorkloads("tcp_rr"))
        .build());
  }

  /** Whether its last result left it waiting for a run that never came. */
  boolean waiting() {
    return waitingSince >= 0;
  }

  @Override
  public void onNext(CoordinatorToWorker message) {
    switch (message.getMessageCase()) {
      case REGISTERED -> registered(message.getRegistered());
      case ASSIGN -> assigned(message.getAssign().getRun());
      case CANCEL -> cancelled(message.getCancel());
      default -> { }  // ResultAccepted and WindowGo ask nothing of a simulated worker
    }
  }

  private void registered(Registered registered) {
    long interval = Math.max(1, Durations.toMillis(registered.getHeartbeatInterval()));
    synchronized (this) {
      // Spread over the interval, so that N workers do not beat in step.
      heartbeats = fleet.scheduler().scheduleAtFixedRate(this::heartbeat,
          ThreadLocalRandom.current().nextLong(interval), interval, TimeUnit.MILLISECONDS);
    }
    fleet.registered();
  }

  private void assigned(Run run) {
    long now = System.nanoTime();
    fleet.latencies().assigned(run.getFleet(), !assignedBefore, waitingSince, now);
    assignedBefore = true;
    waitingSince = -1;
    Instant start = Instant.now();
    synchronized (this) {
      runningId = run.getId();
      running = fleet.scheduler().schedule(() -> complete(run, start, now),
          fleet.runMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void complete(Run run, Instant start, long startNanos) {
    long windowNanos = System.nanoTime() - startNanos;
    WorkerMessage completed = WorkerMessage.newBuilder().setCompleted(RunCompleted.newBuilder()
        .setRunId(run.getId())
        .setAttempt(run.getAttempt())
        .setResult(fleet.result().between(start, Instant.now(), windowNanos)))
        .build();
    synchronized (this) {
      runningId = "";
    }
    // Stamped before sending: the next run may arrive before send returns.
    waitingSince = fleet.latencies().runsPending(run.getFleet()) ? System.nanoTime() : -1;
    send(completed);
    fleet.latencies().completed();
  }

  private synchronized void cancelled(CancelRun cancel) {
    if (cancel.getRunId().equals(runningId) && running != null) {
      running.cancel(false);
      runningId = "";
      fleet.cancelled();
    }
  }

  private void heartbeat() {
    send(WorkerMessage.newBuilder().setHeartbeat(Heartbeat.newBuilder()
        .setAt(Timestamps.fromMillis(System.currentTimeMillis()))).build());
  }

  private void send(WorkerMessage message) {
    try {
      synchronized (requests) {
        requests.onNext(message);
      }
    } catch (RuntimeException e) {
      // The stream is already gone (onError says why); a heartbeat racing it changes nothing.
      fleet.lost(id, "cannot send " + message.getMessageCase() + ": " + e.getMessage());
    }
  }

  @Override
  public void onError(Throwable t) {
    stopHeartbeats();
    fleet.lost(id, Status.fromThrowable(t).toString());
  }

  @Override
  public void onCompleted() {
    stopHeartbeats();
    fleet.lost(id, "the coordinator ended the stream");
  }

  private synchronized void stopHeartbeats() {
    if (heartbeats != null) {
      heartbeats.cancel(false);
    }
  }
}

package dev.kvmmp.probe.daemon;

import com.google.protobuf.util.Timestamps;
import dev.kvmmp.probe.hostrun.HostRuns;
import dev.kvmmp.proto.v1.CoordinatorToProbe;
import dev.kvmmp.proto.v1.HostFacts;
import dev.kvmmp.proto.v1.ProbeHeartbeat;
import dev.kvmmp.proto.v1.ProbeMessage;
import dev.kvmmp.proto.v1.ProbeRegister;
import dev.kvmmp.proto.v1.ProbeServiceGrpc;
import dev.kvmmp.proto.v1.VmInfo;
import dev.kvmmp.proto.v1.VmsChanged;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stream to the coordinator, from registration until it ends: registers with the host's
 * facts, VMs and host workloads, sends heartbeats and VM changes, and answers requests one at a
 * time on the command thread, so that a knob change and a snapshot never overlap. Host workload
 * runs go to {@link HostRuns}, which runs them on a thread of their own; a run still going when
 * the stream ends is cancelled (the coordinator has failed it already).
 */
final class ProbeSession implements StreamObserver<CoordinatorToProbe> {

  private static final Logger log = LoggerFactory.getLogger(ProbeSession.class);

  private final ProbeCommands commands;
  private final HostRuns hostRuns;
  private final ExecutorService commandThread;
  private final StreamObserver<ProbeMessage> requests;
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile ScheduledFuture<?> heartbeats;
  private volatile String endReason = "";

  ProbeSession(Channel channel, HostFacts facts, List<VmInfo> vms, ProbeCommands commands,
      HostRuns hostRuns, ExecutorService commandThread, ScheduledExecutorService ticker,
      Duration heartbeat) {
    this.commands = commands;
    this.hostRuns = hostRuns;
    this.commandThread = commandThread;
    this.requests = ProbeServiceGrpc.newStub(channel).connect(this);
    send(ProbeMessage.newBuilder().setRegister(ProbeRegister.newBuilder()
        .setFacts(facts).addAllVms(vms).addAllWorkloads(hostRuns.workloads())
        .addAllAllowedKnobs(commands.allowedKnobs())).build());
    this.heartbeats = ticker.scheduleAtFixedRate(this::heartbeat, heartbeat.toMillis(),
        heartbeat.toMillis(), TimeUnit.MILLISECONDS);
    if (hasEnded()) {
      // The stream failed while registering, before there were heartbeats to stop.
      heartbeats.cancel(false);
    }
  }

  /** Blocks until the stream ends, and says why it ended. */
  String awaitEnd() throws InterruptedException {
    ended.await();
    return endReason;
  }

  boolean hasEnded() {
    return ended.getCount() == 0;
  }

  void vmsChanged(List<VmInfo> vms) {
    send(ProbeMessage.newBuilder().setVmsChanged(VmsChanged.newBuilder().addAllVms(vms))
        .build());
  }

  void close() {
    synchronized (requests) {
      if (!hasEnded()) {
        try {
          requests.onCompleted();
        } catch (RuntimeException e) {
          log.debug("closing the stream: {}", e.toString());
        }
      }
    }
    end("probe shutting down");
  }

  @Override
  public void onNext(CoordinatorToProbe request) {
    switch (request.getMessageCase()) {
      case ASSIGN_RUN -> {
        hostRuns.start(request.getAssignRun().getRun(), this::send);
        return;
      }
      case CANCEL_RUN -> {
        hostRuns.cancel(request.getCancelRun().getRunId());
        return;
      }
      default -> { }
    }
    try {
      commandThread.execute(() -> commands.answer(request).ifPresentOrElse(this::send,
          () -> log.warn("ignoring a request this probe does not know: {}",
              request.getMessageCase())));
    } catch (RejectedExecutionException e) {
      // The probe is shutting down; the coordinator fails the request when the stream ends.
    }
  }

  @Override
  public void onError(Throwable t) {
    end("stream to the coordinator broke: " + Status.fromThrowable(t));
  }

  @Override
  public void onCompleted() {
    end("the coordinator closed the stream");
  }

  private void heartbeat() {
    send(ProbeMessage.newBuilder().setHeartbeat(ProbeHeartbeat.newBuilder()
        .setAt(Timestamps.fromMillis(System.currentTimeMillis()))).build());
  }

  private void send(ProbeMessage message) {
    synchronized (requests) {
      if (hasEnded()) {
        return;
      }
      try {
        requests.onNext(message);
      } catch (RuntimeException e) {
        log.debug("could not send {}: {}", message.getMessageCase(), e.toString());
      }
    }
  }

  private void end(String reason) {
    synchronized (requests) {
      if (hasEnded()) {
        return;
      }
      endReason = reason;
      if (heartbeats != null) {
        heartbeats.cancel(false);
      }
      ended.countDown();
    }
    // Outside the stream's lock: HostRuns sends under its own lock, so the order stays one-way.
    hostRuns.cancelAll("session with the coordinator ended: " + reason);
  }
}

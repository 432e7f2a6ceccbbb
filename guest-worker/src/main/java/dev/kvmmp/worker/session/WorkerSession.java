package dev.kvmmp.worker.session;

import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import dev.kvmmp.proto.v1.CoordinatorToWorker;
import dev.kvmmp.proto.v1.GuestFacts;
import dev.kvmmp.proto.v1.Heartbeat;
import dev.kvmmp.proto.v1.Register;
import dev.kvmmp.proto.v1.WorkerMessage;
import dev.kvmmp.proto.v1.WorkerServiceGrpc;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Collection;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stream to the coordinator, from registration until it ends: registers naming the run the
 * worker holds, passes what the coordinator says to the worker's {@link WorkerRuns}, carries
 * what they send once registered, and sends heartbeats (progress while a run is in hand). The
 * run in hand outlives the stream: the next session names it on registering.
 */
final class WorkerSession implements StreamObserver<CoordinatorToWorker> {

  private static final Logger log = LoggerFactory.getLogger(WorkerSession.class);
  private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(1);

  private final String workerId;
  private final WorkerRuns runs;
  private final ScheduledExecutorService ticker;
  private final StreamObserver<WorkerMessage> requests;
  private final CountDownLatch ended = new CountDownLatch(1);
  private final AtomicBoolean over = new AtomicBoolean();
  private volatile String endReason = "";
  private volatile ScheduledFuture<?> heartbeats;

  WorkerSession(Channel channel, String workerId, GuestFacts facts, Collection<String> workloads,
      WorkerRuns runs, ScheduledExecutorService ticker) {
    this.workerId = workerId;
    this.runs = runs;
    this.ticker = ticker;
    Register.Builder register = Register.newBuilder()
        .setWorkerId(workerId)
        .setFacts(facts)
        .addAllWorkloads(workloads.stream().sorted().toList());
    runs.held().ifPresent(held -> register.setCurrentRunId(held.runId())
        .setCurrentRunAttempt(held.attempt()));
    this.requests = WorkerServiceGrpc.newStub(channel).connect(this);
    send(WorkerMessage.newBuilder().setRegister(register).build());
  }

  /** Blocks until the stream ends, and says why it ended. */
  String awaitEnd() throws InterruptedException {
    ended.await();
    return endReason;
  }

  /** Ends the stream from this side; a second close, or one after the stream ended, is a no-op. */
  void close() {
    if (end("worker shutting down")) {
      synchronized (requests) {
        requests.onCompleted();
      }
    }
  }

  @Override
  public void onNext(CoordinatorToWorker message) {
    switch (message.getMessageCase()) {
      case REGISTERED -> registered(message.getRegistered().getHeartbeatInterval());
      case ASSIGN -> runs.assign(message.getAssign().getRun());
      case CANCEL -> runs.cancel(message.getCancel());
      case RESULT_ACCEPTED -> runs.accepted(message.getResultAccepted());
      case WINDOW_GO -> runs.windowGo(message.getWindowGo());
      default -> log.warn("ignoring unknown message from the coordinator: {}",
          message.getMessageCase());
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

  /** Sends on this stream; a stream that has ended drops it (results wait in the outbox). */
  void send(WorkerMessage message) {
    synchronized (requests) {
      if (over.get()) {
        return;
      }
      try {
        requests.onNext(message);
      } catch (RuntimeException e) {
        log.debug("could not send {}: {}", message.getMessageCase(), e.toString());
      }
    }
  }

  private void registered(com.google.protobuf.Duration interval) {
    long ms = Math.max(100, Durations.toMillis(interval));
    log.info("registered as {}; heartbeat every {} ms", workerId, ms);
    heartbeats = ticker.scheduleAtFixedRate(this::tick, ms, Math.min(ms,
        PROGRESS_INTERVAL.toMillis()), TimeUnit.MILLISECONDS);
    if (over.get()) {
      // Closed meanwhile: end() may have missed the heartbeats, and nothing goes out any more.
      heartbeats.cancel(false);
      return;
    }
    runs.attach(this);
  }

  private void tick() {
    // Progress doubles as a heartbeat while a run is in hand.
    send(runs.progress()
        .map(progress -> WorkerMessage.newBuilder().setProgress(progress).build())
        .orElseGet(() -> WorkerMessage.newBuilder().setHeartbeat(Heartbeat.newBuilder()
            .setAt(Timestamps.fromMillis(System.currentTimeMillis()))).build()));
  }

  /** Ends the session once; false when it had already ended. */
  private boolean end(String reason) {
    if (!over.compareAndSet(false, true)) {
      return false;
    }
    endReason = reason;
    ScheduledFuture<?> beating = heartbeats;
    if (beating != null) {
      beating.cancel(false);
    }
    runs.detach(this);
    ended.countDown();
    return true;
  }
}

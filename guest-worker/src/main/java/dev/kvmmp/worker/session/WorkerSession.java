package dev.kvmmp.worker.session;

import com.google.protobuf.TextFormat;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import dev.kvmmp.proto.v1.CoordinatorToWorker;
import dev.kvmmp.proto.v1.GuestFacts;
import dev.kvmmp.proto.v1.Heartbeat;
import dev.kvmmp.proto.v1.Register;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunCompleted;
import dev.kvmmp.proto.v1.RunFailed;
import dev.kvmmp.proto.v1.RunProgress;
import dev.kvmmp.proto.v1.RunResult;
import dev.kvmmp.proto.v1.WorkerMessage;
import dev.kvmmp.proto.v1.WorkerServiceGrpc;
import dev.kvmmp.worker.knobs.GuestKnobs;
import dev.kvmmp.worker.workload.RunControl;
import dev.kvmmp.worker.workload.Workload;
import dev.kvmmp.worker.workload.WorkloadException;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One stream to the coordinator, from registration until it ends: receives runs, runs them one
 * at a time, and sends heartbeats, progress and results. A run in hand when the stream ends is
 * cancelled: the coordinator has already failed it.
 */
final class WorkerSession implements StreamObserver<CoordinatorToWorker> {

  private static final Logger log = LoggerFactory.getLogger(WorkerSession.class);
  private static final Duration PROGRESS_INTERVAL = Duration.ofSeconds(1);

  private final String workerId;
  private final Supplier<GuestFacts> facts;
  private final Map<String, Workload> workloads;
  private final RunExecutor executor;
  private final ExecutorService runner;
  private final ScheduledExecutorService ticker;
  private final StreamObserver<WorkerMessage> requests;
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile String endReason = "";
  private volatile RunInHand current;
  private ScheduledFuture<?> heartbeats;

  private record RunInHand(String runId, RunControl control) {}

  WorkerSession(Channel channel, String workerId, Supplier<GuestFacts> facts,
      Map<String, Workload> workloads, GuestKnobs knobs, ExecutorService runner,
      ScheduledExecutorService ticker) {
    this.workerId = workerId;
    this.facts = facts;
    this.workloads = workloads;
    this.executor = new RunExecutor(workloads, facts, ticker, Path.of("/proc"), knobs,
        RunExecutor.DEFAULT_GRACE, true);
    this.runner = runner;
    this.ticker = ticker;
    this.requests = WorkerServiceGrpc.newStub(channel).connect(this);
    send(WorkerMessage.newBuilder().setRegister(Register.newBuilder()
        .setWorkerId(workerId)
        .setFacts(facts.get())
        .addAllWorkloads(workloads.keySet().stream().sorted().toList()))
        .build());
  }

  /** Blocks until the stream ends, and says why it ended. */
  String awaitEnd() throws InterruptedException {
    ended.await();
    return endReason;
  }

  void close() {
    synchronized (requests) {
      requests.onCompleted();
    }
    end("worker shutting down");
  }

  @Override
  public void onNext(CoordinatorToWorker message) {
    switch (message.getMessageCase()) {
      case REGISTERED -> startHeartbeats(message.getRegistered().getHeartbeatInterval());
      case ASSIGN -> accept(message.getAssign().getRun());
      case CANCEL -> {
        RunInHand run = current;
        if (run != null && run.runId().equals(message.getCancel().getRunId())) {
          run.control().cancel();
        }
      }
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

  private void startHeartbeats(com.google.protobuf.Duration interval) {
    long ms = Math.max(100, Durations.toMillis(interval));
    log.info("registered as {}; heartbeat every {} ms", workerId, ms);
    heartbeats = ticker.scheduleAtFixedRate(this::tick, ms, Math.min(ms,
        PROGRESS_INTERVAL.toMillis()), TimeUnit.MILLISECONDS);
  }

  private void tick() {
    RunInHand run = current;
    if (run == null) {
      send(WorkerMessage.newBuilder().setHeartbeat(Heartbeat.newBuilder()
          .setAt(Timestamps.fromMillis(System.currentTimeMillis()))).build());
      return;
    }
    // Progress doubles as a heartbeat while a run is in hand.
    send(WorkerMessage.newBuilder().setProgress(RunProgress.newBuilder()
        .setRunId(run.runId())
        .setPhase(run.control().phase())
        .setTransactions(run.control().transactions())
        .setElapsed(Durations.fromNanos(run.control().phaseElapsedNanos())))
        .build());
  }

  private void accept(Run run) {
    if (current != null) {
      fail(run.getId(), "worker is busy with run " + current.runId());
      return;
    }
    RunInHand inHand = new RunInHand(run.getId(), new RunControl());
    current = inHand;
    runner.execute(() -> execute(run, inHand));
  }

  private void execute(Run run, RunInHand inHand) {
    MDC.put("run", run.getId());
    try {
      log.info("run {} starting: {}", run.getId(),
          TextFormat.printer().shortDebugString(run.getWorkload()));
      RunResult result = executor.execute(run, inHand.control());
      log.info("run {} done: {} transactions", run.getId(), result.getTransactions());
      current = null;
      send(WorkerMessage.newBuilder().setCompleted(RunCompleted.newBuilder()
          .setRunId(run.getId()).setResult(result)).build());
    } catch (WorkloadException e) {
      current = null;
      fail(run.getId(), e.getMessage());
    } catch (RuntimeException e) {
      log.error("run {} failed unexpectedly", run.getId(), e);
      current = null;
      fail(run.getId(), "internal error in the worker: " + e);
    } finally {
      MDC.remove("run");
    }
  }

  private void fail(String runId, String reason) {
    log.info("run {} failed: {}", runId, reason);
    send(WorkerMessage.newBuilder().setFailed(RunFailed.newBuilder()
        .setRunId(runId).setReason(reason)).build());
  }

  private void send(WorkerMessage message) {
    synchronized (requests) {
      if (ended.getCount() == 0) {
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
    if (ended.getCount() == 0) {
      return;
    }
    endReason = reason;
    if (heartbeats != null) {
      heartbeats.cancel(false);
    }
    RunInHand run = current;
    if (run != null) {
      run.control().cancel();
    }
    ended.countDown();
  }
}

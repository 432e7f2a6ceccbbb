package dev.kvmmp.worker.session;

import com.google.protobuf.TextFormat;
import com.google.protobuf.util.Durations;
import dev.kvmmp.proto.v1.CancelRun;
import dev.kvmmp.proto.v1.ResultAccepted;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunCompleted;
import dev.kvmmp.proto.v1.RunFailed;
import dev.kvmmp.proto.v1.RunProgress;
import dev.kvmmp.proto.v1.RunResult;
import dev.kvmmp.proto.v1.WindowGo;
import dev.kvmmp.proto.v1.WorkerMessage;
import dev.kvmmp.worker.session.ResultOutbox.RunAttempt;
import dev.kvmmp.worker.workload.RunControl;
import dev.kvmmp.worker.workload.WindowObserver;
import dev.kvmmp.worker.workload.WorkloadException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * What a worker holds across its sessions with the coordinator: the run in hand, which goes on
 * when a stream breaks, and the results the coordinator has not yet accepted. A session hands it
 * what the coordinator says, and becomes its way out once registered; while no session is
 * registered, what it would send is dropped, except results, which wait in the outbox.
 */
final class WorkerRuns {

  private static final Logger log = LoggerFactory.getLogger(WorkerRuns.class);

  private final RunExecutor executor;
  private final Executor runner;
  private final Duration bracketWait;
  private final ResultOutbox outbox = new ResultOutbox(ResultOutbox.CAPACITY);
  // Both guarded by this, as are the outbox's contents.
  private WorkerSession link;
  private RunInHand current;

  /** A run being executed, with what lets other threads stop or bracket it. */
  private record RunInHand(Run run, RunControl control, WindowGate gate, Cancel cancel) {

    RunAttempt key() {
      return new RunAttempt(run.getId(), run.getAttempt());
    }
  }

  /** Why the coordinator cancelled a run, once it has. */
  private static final class Cancel {
    private volatile String reason;
  }

  /** @param runner executes runs, one at a time */
  WorkerRuns(RunExecutor executor, Executor runner, Duration bracketWait) {
    this.executor = executor;
    this.runner = runner;
    this.bracketWait = bracketWait;
  }

  /** The run to name on registering: the one in hand, else the newest unaccepted result's. */
  synchronized Optional<RunAttempt> held() {
    return current != null ? Optional.of(current.key()) : outbox.newest();
  }

  /** {@code session} is registered: it carries everything from now on, the outbox first. */
  synchronized void attach(WorkerSession session) {
    link = session;
    outbox.pending().forEach(session::send);
    if (current != null) {
      current.gate().pendingEdge().ifPresent(session::send);
    }
  }

  /** {@code session} has ended; nothing goes out until another one is registered. */
  synchronized void detach(WorkerSession session) {
    if (link == session) {
      link = null;
    }
  }

  synchronized void send(WorkerMessage message) {
    if (link != null) {
      link.send(message);
    }
  }

  synchronized void assign(Run run) {
    RunAttempt key = new RunAttempt(run.getId(), run.getAttempt());
    if (current != null) {
      if (current.key().equals(key)) {
        log.info("run {} attempt {} assigned again: it is running already", run.getId(),
            run.getAttempt());
      } else {
        refuse(run, "worker is busy with run " + current.run().getId());
      }
      return;
    }
    Optional<WorkerMessage> done = outbox.find(key);
    if (done.isPresent()) {
      // Running it again would measure it twice; the result it wants is here.
      log.info("run {} attempt {} assigned again: sending its result again", run.getId(),
          run.getAttempt());
      send(done.get());
      return;
    }
    RunInHand inHand = new RunInHand(run, new RunControl(),
        new WindowGate(run.getId(), run.getAttempt(), this::send, bracketWait), new Cancel());
    current = inHand;
    runner.execute(() -> execute(inHand));
  }

  synchronized void cancel(CancelRun cancel) {
    String runId = cancel.getRunId();
    if (current != null && current.run().getId().equals(runId)) {
      log.info("run {} cancelled by the coordinator: {}", runId, cancel.getReason());
      stop(current, cancel.getReason());
    }
    if (outbox.dropRun(runId) > 0) {
      log.info("result of run {} dropped: the coordinator cancelled the run ({})", runId,
          cancel.getReason());
    }
  }

  synchronized void accepted(ResultAccepted accepted) {
    RunAttempt key = new RunAttempt(accepted.getRunId(), accepted.getAttempt());
    if (!outbox.accepted(key)) {
      log.debug("result of run {} attempt {} accepted, but no longer kept", key.runId(),
          key.attempt());
    } else if (!accepted.getDiscarded().isEmpty()) {
      log.info("result of run {} attempt {} discarded by the coordinator: {}", key.runId(),
          key.attempt(), accepted.getDiscarded());
    }
  }

  void windowGo(WindowGo go) {
    RunInHand inHand;
    synchronized (this) {
      inHand = current;
    }
    if (inHand != null) {
      inHand.gate().go(go);
    }
  }

  /** How far the run in hand has got, if there is one. */
  synchronized Optional<RunProgress> progress() {
    if (current == null) {
      return Optional.empty();
    }
    RunControl control = current.control();
    return Optional.of(RunProgress.newBuilder()
        .setRunId(current.run().getId())
        .setAttempt(current.run().getAttempt())
        .setPhase(control.phase())
        .setTransactions(control.transactions())
        .setElapsed(Durations.fromNanos(control.phaseElapsedNanos()))
        .build());
  }

  /** The worker is closing: the run in hand stops. */
  synchronized void close() {
    if (current != null) {
      stop(current, "worker shutting down");
    }
    link = null;
  }

  private static void stop(RunInHand inHand, String reason) {
    inHand.cancel().reason = reason;
    inHand.control().cancel();
    inHand.gate().cancel();
  }

  private void execute(RunInHand inHand) {
    Run run = inHand.run();
    MDC.put("run", run.getId());
    try {
      log.info("run {} attempt {} starting: {}", run.getId(), run.getAttempt(),
          TextFormat.printer().shortDebugString(run.getWorkload()));
      WindowObserver bracket = run.getBracketed() ? inHand.gate() : WindowObserver.NONE;
      RunResult result = executor.execute(run, inHand.control(), bracket).toBuilder()
          .addAllNotes(inHand.gate().notes())
          .build();
      log.info("run {} done: {} transactions", run.getId(), result.getTransactions());
      finish(inHand, WorkerMessage.newBuilder().setCompleted(RunCompleted.newBuilder()
          .setRunId(run.getId()).setAttempt(run.getAttempt()).setResult(result)).build());
    } catch (WorkloadException e) {
      log.info("run {} failed: {}", run.getId(), e.getMessage());
      finish(inHand, failed(run, e.getMessage()));
    } catch (RuntimeException e) {
      log.error("run {} failed unexpectedly", run.getId(), e);
      finish(inHand, failed(run, "internal error in the worker: " + e));
    } finally {
      MDC.remove("run");
    }
  }

  // One step, so that a registration names either the run in hand or its result, and the
  // worker is free before the coordinator, having the result, assigns the next run.
  private synchronized void finish(RunInHand inHand, WorkerMessage result) {
    current = null;
    String cancelled = inHand.cancel().reason;
    if (cancelled != null) {
      // The coordinator has given the run up; the result goes once, for its books, not kept.
      log.info("run {} ended after it was cancelled ({}): its result is not kept",
          inHand.run().getId(), cancelled);
    } else {
      outbox.add(result);
    }
    send(result);
  }

  private void refuse(Run run, String reason) {
    log.info("run {} refused: {}", run.getId(), reason);
    send(failed(run, reason));
  }

  private static WorkerMessage failed(Run run, String reason) {
    return WorkerMessage.newBuilder().setFailed(RunFailed.newBuilder()
        .setRunId(run.getId()).setAttempt(run.getAttempt()).setReason(reason)).build();
  }
}

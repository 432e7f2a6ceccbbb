package dev.kvmmp.coordinator;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import dev.kvmmp.coordinator.experiments.ExperimentBook;
import dev.kvmmp.coordinator.experiments.ExperimentListener;
import dev.kvmmp.coordinator.scheduling.Eligibility;
import dev.kvmmp.coordinator.probes.ConnectedProbe;
import dev.kvmmp.coordinator.scheduling.RunPlan;
import dev.kvmmp.coordinator.scheduling.RunTarget;
import dev.kvmmp.coordinator.workers.ConnectedWorker;
import dev.kvmmp.proto.v1.CoordinatorToWorker;
import dev.kvmmp.proto.v1.Experiment;
import dev.kvmmp.proto.v1.ExperimentSpec;
import dev.kvmmp.proto.v1.ExperimentState;
import dev.kvmmp.proto.v1.Fleet;
import dev.kvmmp.proto.v1.GetExperimentResponse;
import dev.kvmmp.proto.v1.Register;
import dev.kvmmp.proto.v1.Registered;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunCompleted;
import dev.kvmmp.proto.v1.RunEvent;
import dev.kvmmp.proto.v1.RunFailed;
import dev.kvmmp.proto.v1.RunProgress;
import dev.kvmmp.proto.v1.RunState;
import dev.kvmmp.proto.v1.WorkerInfo;
import dev.kvmmp.proto.v1.Workload;
import dev.kvmmp.spec.ExperimentSpecDefaults;
import dev.kvmmp.spec.ExperimentSpecValidator;
import dev.kvmmp.spec.SpecViolation;
import dev.kvmmp.spec.WorkloadKinds;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's state and decisions: experiments, connected workers and probes, and which
 * run goes where: guest workloads to workers, host workloads (ipi_halt) to probes. Every method holds the same lock, so state changes happen one at a time and each
 * stream sees its messages in order. Errors are gRPC {@link Status} exceptions with a
 * description a user can act on.
 */
public final class Coordinator {

  private static final Logger log = LoggerFactory.getLogger(Coordinator.class);

  private final ExperimentBook book = new ExperimentBook();
  private final Map<String, ConnectedWorker> workers = new LinkedHashMap<>();
  /** Probes by host id: the targets of host workloads. */
  private final Map<String, ConnectedProbe> probes = new LinkedHashMap<>();
  private final Clock clock;
  private final Duration heartbeatInterval;
  private final Supplier<String> experimentIds;

  public Coordinator(Clock clock, Duration heartbeatInterval, Supplier<String> experimentIds) {
    this(clock, heartbeatInterval, experimentIds, new dev.kvmmp.coordinator.state.MemoryStateLog());
  }

  public Coordinator(Clock clock, Duration heartbeatInterval, Supplier<String> experimentIds,
      dev.kvmmp.coordinator.state.StateLog stateLog) {
    this.clock = clock;
    this.heartbeatInterval = heartbeatInterval;
    this.experimentIds = experimentIds;
  }

  public Duration heartbeatInterval() {
    return heartbeatInterval;
  }

  public synchronized Experiment submit(ExperimentSpec submitted) {
    List<SpecViolation> violations = ExperimentSpecValidator.validate(submitted);
    if (!violations.isEmpty()) {
      throw Status.INVALID_ARGUMENT
          .withDescription(violations.stream().map(SpecViolation::toString)
              .collect(Collectors.joining("\n")))
          .asRuntimeException();
    }
    ExperimentSpec spec = ExperimentSpecDefaults.apply(submitted);
    Optional<String> unrunnable = Eligibility.unrunnable(spec, workers.values(),
        probes.values());
    if (unrunnable.isPresent()) {
      throw Status.FAILED_PRECONDITION
          .withDescription("experiment '" + spec.getName() + "': " + unrunnable.get())
          .asRuntimeException();
    }
    String id = experimentIds.get();
    Experiment experiment = Experiment.newBuilder()
        .setId(id)
        .setSpec(spec)
        .setState(ExperimentState.EXPERIMENT_STATE_PENDING)
        .setSubmittedAt(now())
        .build();
    List<Run> runs = RunPlan.expand(id, spec, id.hashCode());
    book.add(experiment, runs);
    log.info("experiment {} '{}' accepted: {} runs", id, spec.getName(), runs.size());
    dispatch();
    return book.experiment(id).orElseThrow();
  }

  public synchronized GetExperimentResponse get(String id) {
    return GetExperimentResponse.newBuilder()
        .setExperiment(existing(id))
        .addAllRuns(book.runs(id))
        .build();
  }

  public synchronized List<Experiment> list(int limit) {
    return book.newestFirst(limit);
  }

  /** Sends the current state of every run, then follows the experiment until it finishes. */
  public synchronized void watch(String id, ExperimentListener listener) {
    Experiment experiment = existing(id);
    listener.onExperiment(experiment);
    for (Run run : book.runs(id)) {
      listener.onRun(RunEvent.newBuilder().setRun(run).setAt(now()).build());
    }
    book.watch(id, listener);
  }

  public synchronized void unwatch(String id, ExperimentListener listener) {
    book.unwatch(id, listener);
  }

  public synchronized Experiment cancel(String id, String reason) {
    existing(id);
    String why = reason.isBlank() ? "cancelled by user" : reason;
    for (Run run : book.cancel(id, why, clock.instant())) {
      RunTarget target = targets(run.getWorkload()).get(run.getWorkerId());
      if (target != null && target.currentRunId().equals(Optional.of(run.getId()))) {
        target.cancel(run.getId(), why);
      }
    }
    dispatch();
    return book.experiment(id).orElseThrow();
  }

  public synchronized ConnectedWorker register(Register register,
      StreamObserver<CoordinatorToWorker> stream) {
    String id = register.getWorkerId();
    if (id.isBlank()) {
      throw Status.INVALID_ARGUMENT.withDescription("register.worker_id: empty (required)")
          .asRuntimeException();
    }
    if (workers.containsKey(id)) {
      throw Status.ALREADY_EXISTS
          .withDescription("worker '" + id + "' is already connected; give each worker its own "
              + "--worker-id")
          .asRuntimeException();
    }
    ConnectedWorker worker = new ConnectedWorker(id, register.getFacts(),
        register.getWorkloadsList(), stream, clock.instant());
    workers.put(id, worker);
    stream.onNext(CoordinatorToWorker.newBuilder()
        .setRegistered(Registered.newBuilder()
            .setWorkerId(id)
            .setHeartbeatInterval(Durations.fromMillis(heartbeatInterval.toMillis())))
        .build());
    log.info("worker {} registered: {}", id, worker.labels());
    dispatch();
    return worker;
  }

  /** A probe registered: it may run host workloads from now on. */
  public synchronized void probeConnected(ConnectedProbe probe) {
    probes.put(probe.id(), probe);
    dispatch();
  }

  public synchronized void heartbeat(ConnectedWorker worker) {
    worker.heartbeat(clock.instant());
  }

  public synchronized void progress(ConnectedWorker worker, RunProgress progress) {
    worker.heartbeat(clock.instant());
    runProgress(worker, progress);
  }

  /** Progress of the run a worker or probe holds. */
  public synchronized void runProgress(RunTarget target, RunProgress progress) {
    if (holds(target, progress.getRunId())) {
      book.progress(progress);
    }
  }

  public synchronized void completed(RunTarget worker, RunCompleted completed) {
    if (!holds(worker, completed.getRunId())) {
      log.warn("{} sent a result for run {}, which is not its run; ignored",
          worker.describe(), completed.getRunId());
      return;
    }
    Run run = book.run(completed.getRunId()).orElseThrow();
    Optional<String> inconsistency = ResultCheck.inconsistency(completed.getResult());
    Run.Builder next = run.toBuilder().setFinishedAt(now());
    if (inconsistency.isPresent()) {
      next.setState(RunState.RUN_STATE_FAILED)
          .setReason(worker.describe() + " sent an inconsistent result: "
              + inconsistency.get());
    } else {
      next.setState(RunState.RUN_STATE_SUCCEEDED).setResult(completed.getResult());
    }
    finish(worker, next.build());
  }

  public synchronized void failed(RunTarget worker, RunFailed failed) {
    if (!holds(worker, failed.getRunId())) {
      return;
    }
    Run run = book.run(failed.getRunId()).orElseThrow();
    finish(worker, run.toBuilder()
        .setState(RunState.RUN_STATE_FAILED)
        .setReason(worker.describe() + ": " + failed.getReason())
        .setFinishedAt(now())
        .build());
  }

  /** The worker's or probe's stream ended: its run, if any, fails with the reason. */
  public synchronized void disconnected(RunTarget worker, String reason) {
    Map<String, ? extends RunTarget> targets = targetsOfKind(worker);
    if (targets.get(worker.id()) != worker) {
      return;
    }
    targets.remove(worker.id());
    log.info("{} disconnected: {}", worker.describe(), reason);
    worker.currentRunId().flatMap(book::run).ifPresent(run -> book.update(run.toBuilder()
        .setState(RunState.RUN_STATE_FAILED)
        .setReason(worker.describe() + " disconnected mid-run: " + reason)
        .setFinishedAt(now())
        .build(), clock.instant()));
    dispatch();
  }

  /** Disconnects workers silent for three heartbeat intervals (a hung or paused VM). */
  public synchronized List<ConnectedWorker> expireSilentWorkers() {
    Instant deadline = clock.instant().minus(heartbeatInterval.multipliedBy(3));
    List<ConnectedWorker> silent = workers.values().stream()
        .filter(w -> w.lastHeartbeat().isBefore(deadline))
        .toList();
    for (ConnectedWorker worker : silent) {
      disconnected(worker, "no heartbeat for " + heartbeatInterval.multipliedBy(3).toSeconds()
          + " s");
    }
    return silent;
  }

  public synchronized List<WorkerInfo> workers() {
    return workers.values().stream().map(ConnectedWorker::toInfo).toList();
  }

  private void finish(RunTarget worker, Run run) {
    worker.release();
    book.update(run, clock.instant());
    log.info("run {} {} on {}", run.getId(), run.getState(), worker.describe());
    dispatch();
  }

  /** Starts pending runs, oldest first, on idle workers (or probes) that match their fleet. */
  private void dispatch() {
    List<Run> pending = new ArrayList<>(book.pendingRuns());
    for (Run run : pending) {
      Fleet fleet = fleetOf(run);
      Optional<? extends RunTarget> idle = targets(run.getWorkload()).values().stream()
          .filter(RunTarget::isIdle)
          .filter(w -> Eligibility.canRun(w, fleet, run.getWorkload()))
          .findFirst();
      if (idle.isEmpty()) {
        continue;
      }
      RunTarget worker = idle.get();
      Run started = run.toBuilder()
          .setState(RunState.RUN_STATE_RUNNING)
          .setWorkerId(worker.id())
          .setAttempt(run.getAttempt() + 1)
          .setStartedAt(now())
          .build();
      book.update(started, clock.instant());
      worker.start(started);
    }
  }

  /** Host workloads run on probes, guest workloads on workers. */
  private Map<String, ? extends RunTarget> targets(Workload workload) {
    return WorkloadKinds.isHost(workload) ? probes : workers;
  }

  private Fleet fleetOf(Run run) {
    return book.experiment(run.getExperimentId()).orElseThrow().getSpec().getFleetsList().stream()
        .filter(f -> f.getName().equals(run.getFleet()))
        .findFirst()
        .orElseThrow();
  }

  private Map<String, ? extends RunTarget> targetsOfKind(RunTarget target) {
    return target instanceof ConnectedProbe ? probes : workers;
  }

  private boolean holds(RunTarget worker, String runId) {
    Map<String, ? extends RunTarget> targets = targetsOfKind(worker);
    return targets.get(worker.id()) == worker
        && worker.currentRunId().equals(Optional.of(runId));
  }

  private Experiment existing(String id) {
    return book.experiment(id).orElseThrow(() -> Status.NOT_FOUND
        .withDescription("experiment '" + id + "' not found")
        .asRuntimeException());
  }

  private Timestamp now() {
    return Timestamps.fromMillis(clock.millis());
  }
}

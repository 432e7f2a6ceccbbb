package dev.kvmmp.coordinator;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import dev.kvmmp.coordinator.experiments.ExperimentBook;
import dev.kvmmp.coordinator.experiments.ExperimentListener;
import dev.kvmmp.coordinator.probes.ConnectedProbe;
import dev.kvmmp.coordinator.probes.HostPreparation;
import dev.kvmmp.coordinator.scheduling.Eligibility;
import dev.kvmmp.coordinator.scheduling.HostKnobChecks;
import dev.kvmmp.coordinator.scheduling.KnownLabels;
import dev.kvmmp.coordinator.scheduling.Dispatcher;
import dev.kvmmp.coordinator.scheduling.RunPlan;
import dev.kvmmp.coordinator.scheduling.RunTarget;
import dev.kvmmp.coordinator.state.MemoryStateLog;
import dev.kvmmp.coordinator.state.RecordedState;
import dev.kvmmp.coordinator.state.StateLog;
import dev.kvmmp.coordinator.state.StateLogException;
import dev.kvmmp.coordinator.workers.ConnectedWorker;
import dev.kvmmp.proto.v1.CancelRun;
import dev.kvmmp.proto.v1.CoordinatorToWorker;
import dev.kvmmp.proto.v1.Exclusivity;
import dev.kvmmp.proto.v1.Experiment;
import dev.kvmmp.proto.v1.ExperimentSpec;
import dev.kvmmp.proto.v1.ExperimentState;
import dev.kvmmp.proto.v1.Fleet;
import dev.kvmmp.proto.v1.GetExperimentResponse;
import dev.kvmmp.proto.v1.Register;
import dev.kvmmp.proto.v1.Registered;
import dev.kvmmp.proto.v1.ResultAccepted;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunCompleted;
import dev.kvmmp.proto.v1.RunEvent;
import dev.kvmmp.proto.v1.RunFailed;
import dev.kvmmp.proto.v1.RunProgress;
import dev.kvmmp.proto.v1.RunState;
import dev.kvmmp.proto.v1.SampleKind;
import dev.kvmmp.proto.v1.VmInfo;
import dev.kvmmp.proto.v1.WindowEdge;
import dev.kvmmp.proto.v1.WindowGo;
import dev.kvmmp.proto.v1.WorkerInfo;
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
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's state and decisions: experiments, connected workers and probes, and which
 * run goes where: guest workloads to workers, host workloads (ipi_halt) to probes. Every method
 * holds the same lock, so state changes happen one at a time and each stream sees its messages
 * in order. Every change is recorded in the {@link StateLog} (Kafka), from which a restarted
 * coordinator picks up: runs that were running wait for their workers to reconnect and claim
 * them, and are re-queued if none does. Errors are gRPC {@link Status} exceptions with a
 * description a user can act on.
 */
public final class Coordinator {

  private static final Logger log = LoggerFactory.getLogger(Coordinator.class);
  /** Workers back off up to 10 s between reconnects; after a restart they get that long. */
  static final Duration RECONNECT_GRACE = Duration.ofSeconds(12);
  /** The idle window before a bracketed run: the VM's background exit rate. */
  /**
   * Heartbeats the coordinator asks for in total: a large fleet gets a longer interval, as
   * Nomad does with its heartbeat TTLs, so that heartbeats never crowd out decisions.
   */
  static final int MAX_HEARTBEATS_PER_SECOND = 500;
  public static final Duration DEFAULT_IDLE_BASELINE = Duration.ofMillis(500);

  /** A running run whose worker went away: it may come back and claim it, until the deadline. */
  private record Orphan(String workerId, Instant deadline, String reason) {}

  private final StateLog stateLog;
  private final ExperimentBook book;
  private final Map<String, ConnectedWorker> workers = new LinkedHashMap<>();
  /** Probes by host id: the targets of host workloads, and the hosts of workers' VMs. */
  private final Map<String, ConnectedProbe> probes = new LinkedHashMap<>();
  private final Map<String, String> hostOfVm = new HashMap<>();
  private final HostPreparation hosts = new HostPreparation(this, DEFAULT_IDLE_BASELINE);
  private final Dispatcher dispatcher = new Dispatcher(new Dispatcher.Runs() {
    @Override
    public Fleet fleetOf(Run run) {
      return Coordinator.this.fleetOf(run);
    }

    @Override
    public Exclusivity exclusivityOf(Run run) {
      return book.experiment(run.getExperimentId()).orElseThrow().getSpec().getExclusivity();
    }

    @Override
    public Map<String, ? extends RunTarget> targetsOf(Run run) {
      return targets(run);
    }
  }, hosts);
  private final Map<String, Orphan> orphans = new LinkedHashMap<>();
  private final Map<String, Long> experimentOrdinals = new HashMap<>();
  private final Clock clock;
  private final Duration heartbeatInterval;
  private final Supplier<String> experimentIds;
  private CoordinatorMetrics metrics;
  /** After a restart, nothing is dispatched until workers had the time to claim their runs. */
  private Instant dispatchHeldUntil = Instant.MIN;

  public Coordinator(Clock clock, Duration heartbeatInterval, Supplier<String> experimentIds) {
    this(clock, heartbeatInterval, experimentIds, new MemoryStateLog());
  }

  /** Picks up whatever {@code stateLog} holds. */
  public Coordinator(Clock clock, Duration heartbeatInterval, Supplier<String> experimentIds,
      StateLog stateLog) {
    this.clock = clock;
    this.heartbeatInterval = heartbeatInterval;
    this.experimentIds = experimentIds;
    this.stateLog = stateLog;
    this.book = new ExperimentBook(stateLog);
    bindMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
    restore(stateLog.read());
  }

  /** Registers the coordinator's meters in {@code registry} (served on /metrics). */
  public synchronized void bindMetrics(io.micrometer.core.instrument.MeterRegistry registry) {
    metrics = new CoordinatorMetrics(registry, this::pendingRunsNow, workers::size,
        probes::size);
  }

  private int pendingRunsNow() {
    return dispatcher.pendingCount();
  }

  public Duration heartbeatInterval() {
    return heartbeatInterval;
  }

  /** Where knob and snapshot requests go: the probe streams. */
  public synchronized void useHostRequests(HostRequests requests, Duration idleBaselineWindow) {
    hosts.use(requests, idleBaselineWindow);
  }

  private void restore(RecordedState state) {
    book.restore(state);
    Instant deadline = clock.instant().plus(orphanTimeout()).plus(RECONNECT_GRACE);
    for (Experiment experiment : state.experiments()) {
      experimentOrdinals.put(experiment.getId(), (long) experimentOrdinals.size());
      if (ExperimentBook.isFinal(experiment.getState())) {
        continue;
      }
      for (Run run : book.runs(experiment.getId())) {
        if (run.getState() == RunState.RUN_STATE_PENDING) {
          dispatcher.enqueue(run, experimentOrdinals.get(experiment.getId()));
        } else if (run.getState() == RunState.RUN_STATE_RUNNING) {
          orphans.put(run.getId(), new Orphan(run.getWorkerId(), deadline,
              "the coordinator restarted and " + targetNoun(run) + " '" + run.getWorkerId()
                  + "' did not reconnect to claim it"));
        }
      }
    }
    if (!orphans.isEmpty()) {
      dispatchHeldUntil = deadline;
    }
    log.info("state read back: {} experiment(s), {} run(s); {} pending, {} running awaiting "
            + "their workers", state.experiments().size(), state.runCount(), dispatcher.pendingCount(),
        orphans.size());
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
    refuseUnknownLabels(spec);
    Optional<String> unrunnable = Eligibility.unrunnable(spec, workers.values(),
        probes.values());
    if (unrunnable.isPresent()) {
      throw Status.FAILED_PRECONDITION
          .withDescription("experiment '" + spec.getName() + "': " + unrunnable.get())
          .asRuntimeException();
    }
    Optional<String> knobProblem = HostKnobChecks.refusal(spec, workers.values(), probes);
    if (knobProblem.isPresent()) {
      throw Status.FAILED_PRECONDITION
          .withDescription("experiment '" + spec.getName() + "': " + knobProblem.get())
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
    try {
      book.add(experiment, runs);
    } catch (StateLogException e) {
      throw Status.UNAVAILABLE.withDescription("experiment '" + spec.getName()
          + "' not accepted: " + e.getMessage()).asRuntimeException();
    }
    long ordinal = experimentOrdinals.size();
    experimentOrdinals.put(id, ordinal);
    for (Run run : runs) {
      dispatcher.enqueue(run, ordinal);
    }
    log.info("experiment {} '{}' accepted: {} runs", id, spec.getName(), runs.size());
    dispatch();
    return book.experiment(id).orElseThrow();
  }

  private static void refuseUnknownLabels(ExperimentSpec spec) {
    List<String> problems = KnownLabels.unknownIn(spec);
    if (!problems.isEmpty()) {
      throw Status.INVALID_ARGUMENT.withDescription(String.join("\n", problems))
          .asRuntimeException();
    }
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
    List<Run> wereRunning = book.cancel(id, why, clock.instant());
    for (Run run : book.runs(id)) {
      dispatcher.dequeue(run.getId());
      orphans.remove(run.getId());
    }
    for (Run run : wereRunning) {
      dispatcher.released(run.getId());
      RunTarget target = targetOf(run);
      if (target != null && target.currentRunId().equals(Optional.of(run.getId()))) {
        target.cancel(run.getId(), why);
        if (target.isIdle()) {
          dispatcher.idle(target);
        }
      }
    }
    restoreKnobsOf(id);
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
    Duration interval = heartbeatIntervalFor(workers.size() + 1);
    ConnectedWorker worker = new ConnectedWorker(id, register.getFacts(),
        register.getWorkloadsList(), stream, clock.instant(), interval);
    placeOnHost(worker);
    workers.put(id, worker);
    worker.send(CoordinatorToWorker.newBuilder()
        .setRegistered(Registered.newBuilder()
            .setWorkerId(id)
            .setHeartbeatInterval(Durations.fromMillis(interval.toMillis())))
        .build());
    log.info("worker {} registered: {}", id, worker.labels());
    if (!register.getCurrentRunId().isEmpty()) {
      claim(worker, register.getCurrentRunId(), register.getCurrentRunAttempt());
    }
    if (worker.isIdle()) {
      dispatcher.idle(worker);
    }
    dispatch();
    return worker;
  }

  /**
   * A reconnecting worker says it holds a run: it keeps it if the coordinator still has the run
   * as that worker's (running, same attempt), or as pending at the attempt before (the record of
   * its start was lost with a coordinator); otherwise it is told to drop it.
   */
  private void claim(ConnectedWorker worker, String runId, int attempt) {
    Run run = book.run(runId).orElse(null);
    boolean ours = run != null && run.getState() == RunState.RUN_STATE_RUNNING
        && run.getWorkerId().equals(worker.id()) && run.getAttempt() == attempt;
    boolean lostStart = run != null && dispatcher.isPending(runId) && run.getAttempt() + 1 == attempt;
    if (!ours && !lostStart) {
      String why = run == null ? "unknown run"
          : "the run is " + run.getState().name().substring(10).toLowerCase()
              + " at attempt " + run.getAttempt() + (run.getWorkerId().isEmpty() ? ""
              : " on '" + run.getWorkerId() + "'");
      log.info("worker {} claims run {} attempt {}: not its run ({}); told to drop it",
          worker.id(), runId, attempt, why);
      worker.send(CoordinatorToWorker.newBuilder().setCancel(CancelRun.newBuilder()
          .setRunId(runId).setReason("no longer this worker's run: " + why)).build());
      return;
    }
    orphans.remove(runId);
    if (lostStart) {
      dispatcher.dequeue(runId);
      run = startedOn(run, worker, attempt);
      book.update(run, clock.instant());
    }
    worker.hold(runId);
    dispatcher.started(run, worker);
    log.info("worker {} reconnected holding run {} (attempt {}); it goes on", worker.id(), runId,
        attempt);
    if (orphans.isEmpty()) {
      dispatchHeldUntil = Instant.MIN;
    }
  }

  /** A probe registered: it may run host workloads, and workers in its VMs are on its host. */
  public synchronized void probeConnected(ConnectedProbe probe) {
    probes.put(probe.id(), probe);
    hostsChanged();
    if (probe.isIdle()) {
      dispatcher.idle(probe);
    }
    dispatch();
  }

  /** The VMs a probe sees changed. */
  public synchronized void probeVmsChanged(ConnectedProbe probe) {
    if (probes.get(probe.id()) == probe) {
      hostsChanged();
      dispatch();
    }
  }

  /** Lock-free: with thousands of workers, heartbeats must not queue behind decisions. */
  public void heartbeat(ConnectedWorker worker) {
    worker.heartbeat(clock.instant());
  }

  public synchronized void progress(ConnectedWorker worker, RunProgress progress) {
    worker.heartbeat(clock.instant());
    runProgress(worker, progress);
  }

  /** Progress of the run a worker or probe holds. */
  public synchronized void runProgress(RunTarget target, RunProgress progress) {
    if (stale(target, progress.getRunId(), progress.getAttempt()).isEmpty()) {
      book.progress(progress);
    }
  }

  public synchronized void completed(RunTarget target, RunCompleted completed) {
    long started = System.nanoTime();
    try {
      recordResult(target, completed);
    } finally {
      metrics.resultHandled(System.nanoTime() - started);
    }
  }

  private void recordResult(RunTarget target, RunCompleted completed) {
    String runId = completed.getRunId();
    Optional<String> stale = stale(target, runId, completed.getAttempt());
    if (stale.isPresent()) {
      log.info("{} sent a result for run {} attempt {}: discarded, {}", target.describe(), runId,
          completed.getAttempt(), stale.get());
      discard(target, runId, completed.getAttempt(), stale.get());
      return;
    }
    Run run = book.run(runId).orElseThrow();
    Optional<String> inconsistency = ResultCheck.inconsistency(completed.getResult());
    Run.Builder next = run.toBuilder().setFinishedAt(now());
    if (inconsistency.isPresent()) {
      next.setState(RunState.RUN_STATE_FAILED)
          .setReason(target.describe() + " sent an inconsistent result: "
              + inconsistency.get());
    } else {
      next.setState(RunState.RUN_STATE_SUCCEEDED).setResult(completed.getResult());
    }
    finish(target, next.build()).whenComplete((ok, e) -> {
      if (e == null) {
        acknowledge(target, runId, completed.getAttempt(), "");
      }
    });
  }

  public synchronized void failed(RunTarget target, RunFailed failed) {
    String runId = failed.getRunId();
    Optional<String> stale = stale(target, runId, failed.getAttempt());
    if (stale.isPresent()) {
      discard(target, runId, failed.getAttempt(), stale.get());
      return;
    }
    Run run = book.run(runId).orElseThrow();
    finish(target, run.toBuilder()
        .setState(RunState.RUN_STATE_FAILED)
        .setReason(target.describe() + ": " + failed.getReason())
        .setFinishedAt(now())
        .build())
        .whenComplete((ok, e) -> {
          if (e == null) {
            acknowledge(target, runId, failed.getAttempt(), "");
          }
        });
  }

  /**
   * A bracketed run's window is about to open or has closed: the probe of its host takes a
   * snapshot tagged with the run, then the worker is told to go on.
   */
  public synchronized void windowEdge(ConnectedWorker worker, WindowEdge edge) {
    WindowGo.Builder go = WindowGo.newBuilder().setRunId(edge.getRunId())
        .setAttempt(edge.getAttempt()).setEdge(edge.getEdge());
    Optional<String> stale = stale(worker, edge.getRunId(), edge.getAttempt());
    Run run = book.run(edge.getRunId()).orElse(null);
    if (stale.isPresent() || run == null || !run.getBracketed()) {
      worker.send(CoordinatorToWorker.newBuilder().setWindowGo(go.setSnapshotError(
          stale.orElse("the run is not bracketed"))).build());
      return;
    }
    SampleKind kind = edge.getEdge() == WindowEdge.Edge.EDGE_OPENING
        ? SampleKind.SAMPLE_KIND_WINDOW_START : SampleKind.SAMPLE_KIND_WINDOW_END;
    hosts.windowSnapshot(run, kind).thenAccept(error -> worker.send(CoordinatorToWorker
        .newBuilder().setWindowGo(go.setSnapshotError(error)).build()));
  }

  /**
   * The worker's or probe's stream ended. A worker's run waits for it to reconnect (it keeps
   * running its run) until a heartbeat timeout, then is re-queued; a probe's run ends with its
   * session and is re-queued at once.
   */
  public synchronized void disconnected(RunTarget target, String reason) {
    Map<String, ? extends RunTarget> targets = targetsOfKind(target);
    if (targets.get(target.id()) != target) {
      return;
    }
    targets.remove(target.id());
    dispatcher.busy(target);
    log.info("{} disconnected: {}", target.describe(), reason);
    Optional<Run> run = target.currentRunId().flatMap(book::run);
    if (target instanceof ConnectedProbe probe) {
      hosts.forget(probe.hostId());
      hostsChanged();
      run.ifPresent(r -> requeue(r, probe.describe() + " disconnected mid-run: " + reason));
    } else if (run.isPresent()) {
      orphans.put(run.get().getId(), new Orphan(target.id(),
          clock.instant().plus(silenceLimit(target)), target.describe()
              + " disconnected mid-run (" + reason + ") and did not come back within "
              + silenceLimit(target).toSeconds() + " s"));
    }
    dispatch();
  }

  /**
   * Disconnects workers silent for three heartbeat intervals (a hung or paused VM) and re-queues
   * the runs whose workers did not come back in time.
   *
   * @return the workers disconnected, whose streams the caller closes
   */
  public synchronized List<ConnectedWorker> expireSilentWorkers() {
    Instant now = clock.instant();
    List<ConnectedWorker> silent = workers.values().stream()
        .filter(w -> w.lastHeartbeat().isBefore(now.minus(silenceLimit(w))))
        .toList();
    for (ConnectedWorker worker : silent) {
      disconnected(worker, "no heartbeat for " + silenceLimit(worker).toSeconds() + " s");
    }
    List<String> expired = orphans.entrySet().stream()
        .filter(e -> !e.getValue().deadline().isAfter(now))
        .map(Map.Entry::getKey)
        .toList();
    for (String runId : expired) {
      Orphan orphan = orphans.remove(runId);
      book.run(runId).ifPresent(run -> requeue(run, orphan.reason()));
    }
    if (!now.isBefore(dispatchHeldUntil)) {
      dispatchHeldUntil = Instant.MIN;
    }
    dispatch();
    return silent;
  }

  public synchronized List<WorkerInfo> workers() {
    return workers.values().stream().map(ConnectedWorker::toInfo).toList();
  }

  /** Runs still being scheduled, for tests and metrics. */
  public synchronized int pendingRuns() {
    return dispatcher.pendingCount();
  }

  /** Flushes and closes the state log. */
  public void close() {
    stateLog.close();
  }

  /** The heartbeat interval a newly registered worker gets, when {@code n} are connected. */
  Duration heartbeatIntervalFor(int n) {
    Duration spread = Duration.ofMillis(1000L * n / MAX_HEARTBEATS_PER_SECOND);
    return spread.compareTo(heartbeatInterval) > 0 ? spread : heartbeatInterval;
  }

  /**
   * Three missed heartbeats: a worker gone (or its run's worker). Of its own interval, or of the
   * one the fleet has grown to since it registered, whichever is longer: a coordinator busier
   * with a larger fleet hears early workers later too.
   */
  private Duration silenceLimit(RunTarget target) {
    if (!(target instanceof ConnectedWorker worker)) {
      return orphanTimeout();
    }
    Duration fleet = heartbeatIntervalFor(workers.size());
    Duration own = worker.heartbeatInterval();
    return (own.compareTo(fleet) > 0 ? own : fleet).multipliedBy(3);
  }

  private Duration orphanTimeout() {
    return heartbeatInterval.multipliedBy(3);
  }

  /** A run that lost its worker goes back in the queue, or fails after its last attempt. */
  private void requeue(Run run, String reason) {
    dispatcher.released(run.getId());
    String attempt = "attempt " + run.getAttempt() + ": " + reason;
    Experiment experiment = book.experiment(run.getExperimentId()).orElseThrow();
    if (run.getAttempt() >= experiment.getSpec().getMaxAttempts()) {
      book.update(run.toBuilder()
          .setState(RunState.RUN_STATE_FAILED)
          .addEarlierAttempts(attempt)
          .setReason("lost in each of its " + run.getAttempt() + " attempt(s); last: " + reason)
          .setFinishedAt(now())
          .build(), clock.instant());
      log.info("run {} failed: {}", run.getId(), reason);
      restoreKnobsIfFinished(run.getExperimentId());
      return;
    }
    Run again = run.toBuilder()
        .setState(RunState.RUN_STATE_PENDING)
        .setWorkerId("")
        .setHostId("")
        .setVmIdentity("")
        .setBracketed(false)
        .clearStartedAt()
        .addEarlierAttempts(attempt)
        .build();
    book.update(again, clock.instant());
    dispatcher.enqueue(again, experimentOrdinals.get(run.getExperimentId()));
    log.info("run {} re-queued after {}", run.getId(), attempt);
  }

  private CompletableFuture<Void> finish(RunTarget target, Run run) {
    target.release();
    dispatcher.released(run.getId());
    CompletableFuture<Void> durable = book.update(run, clock.instant());
    log.debug("run {} {} on {}", run.getId(), run.getState(), target.describe());
    metrics.runFinished(run.getState().name().substring(10).toLowerCase());
    dispatcher.idle(target);
    restoreKnobsIfFinished(run.getExperimentId());
    dispatch();
    return durable;
  }

  /**
   * A result that no longer counts. If the target still holds that run, this is its answer to a
   * cancel: only now is it free for the next run (before, it would refuse it as busy).
   */
  private void discard(RunTarget target, String runId, int attempt, String why) {
    boolean stillItsRun = book.run(runId)
        .filter(r -> r.getState() == RunState.RUN_STATE_RUNNING)
        .filter(r -> r.getWorkerId().equals(target.id()))
        .isPresent();
    if (targetsOfKind(target).get(target.id()) == target && !stillItsRun
        && target.currentRunId().equals(Optional.of(runId))) {
      target.release();
      dispatcher.idle(target);
      dispatch();
    }
    acknowledge(target, runId, attempt, why);
  }

  private void acknowledge(RunTarget target, String runId, int attempt, String discarded) {
    if (target instanceof ConnectedWorker worker) {
      worker.send(CoordinatorToWorker.newBuilder().setResultAccepted(ResultAccepted.newBuilder()
          .setRunId(runId).setAttempt(attempt).setDiscarded(discarded)).build());
    }
  }

  /**
   * Starts pending runs in schedule order on idle targets that match their fleet, may share
   * their place with what runs already, and are under the run's host knobs or can be put there.
   * Looks at the head of each (experiment, workload, fleet) group only.
   */
  private void dispatch() {
    if (clock.instant().isBefore(dispatchHeldUntil)) {
      return;
    }
    long event = System.nanoTime();
    dispatcher.dispatch((run, target, lookingSince) -> {
      begin(run, target);
      long now = System.nanoTime();
      metrics.decided(now - lookingSince, now - event);
    });
  }

  /** Takes the run off the queue, onto the target, then prepares its host and sends it. */
  private void begin(Run run, RunTarget target) {
    Run started = startedOn(run, target, run.getAttempt() + 1);
    target.hold(run.getId());
    dispatcher.started(started, target);
    book.update(started, clock.instant());
    hosts.prepare(started).whenComplete((ok, e) -> prepared(target, started, e));
  }

  private Run startedOn(Run run, RunTarget target, int attempt) {
    String host = Dispatcher.hostOf(target);
    boolean worker = target instanceof ConnectedWorker;
    return run.toBuilder()
        .setState(RunState.RUN_STATE_RUNNING)
        .setWorkerId(target.id())
        .setAttempt(attempt)
        .setStartedAt(now())
        .setHostId(host)
        .setVmIdentity(worker ? ((ConnectedWorker) target).vmIdentity() : "")
        .setBracketed(worker && !host.isEmpty())
        .build();
  }

  private synchronized void prepared(RunTarget target, Run run, Throwable error) {
    if (!target.currentRunId().equals(Optional.of(run.getId()))
        || targetsOfKind(target).get(target.id()) != target) {
      return;
    }
    if (error != null) {
      finish(target, run.toBuilder()
          .setState(RunState.RUN_STATE_FAILED)
          .setReason("could not prepare host '" + run.getHostId() + "': "
              + HostPreparation.reason(error))
          .setFinishedAt(now())
          .build());
      return;
    }
    target.start(run);
  }

  private void restoreKnobsIfFinished(String experimentId) {
    book.experiment(experimentId)
        .filter(e -> ExperimentBook.isFinal(e.getState()))
        .ifPresent(e -> restoreKnobsOf(experimentId));
  }

  private void restoreKnobsOf(String experimentId) {
    hosts.restoreKnobsOf(experimentId, dispatcher::isHostBusy, this::dispatch);
  }

  /** Workers learn their hosts from the probes' VM lists; eligibility follows the labels. */
  private void hostsChanged() {
    hostOfVm.clear();
    for (ConnectedProbe probe : probes.values()) {
      for (VmInfo vm : probe.vms()) {
        if (!vm.getVmIdentity().isEmpty()) {
          hostOfVm.put(vm.getVmIdentity(), probe.hostId());
        }
      }
    }
    workers.values().forEach(this::placeOnHost);
    dispatcher.targetsChanged();
  }

  private void placeOnHost(ConnectedWorker worker) {
    String host = hostOfVm.getOrDefault(worker.vmIdentity(), "");
    ConnectedProbe probe = probes.get(host);
    worker.placeOnHost(probe == null ? "" : host, probe == null ? Map.of() : probe.labels());
  }

  /** Why a message about {@code runId} from {@code target} no longer counts, or empty. */
  private Optional<String> stale(RunTarget target, String runId, int attempt) {
    Run run = book.run(runId).orElse(null);
    if (run == null) {
      return Optional.of("unknown run");
    }
    if (run.getState() != RunState.RUN_STATE_RUNNING || !run.getWorkerId().equals(target.id())) {
      return Optional.of("the run is " + run.getState().name().substring(10).toLowerCase()
          + " at attempt " + run.getAttempt()
          + (run.getWorkerId().isEmpty() ? "" : " on '" + run.getWorkerId() + "'"));
    }
    if (targetsOfKind(target).get(target.id()) != target
        || !target.currentRunId().equals(Optional.of(runId))) {
      return Optional.of("the run is not this " + (target instanceof ConnectedProbe ? "probe"
          : "worker") + "'s now (" + run.getState().name().substring(10).toLowerCase()
          + ", attempt " + run.getAttempt() + ")");
    }
    if (attempt != 0 && attempt != run.getAttempt()) {
      return Optional.of("attempt " + attempt + " was given up; the run is at attempt "
          + run.getAttempt());
    }
    return Optional.empty();
  }

  /** Host workloads run on probes, guest workloads on workers. */
  private Map<String, ? extends RunTarget> targets(Run run) {
    return WorkloadKinds.isHost(run.getWorkload()) ? probes : workers;
  }

  private RunTarget targetOf(Run run) {
    return targets(run).get(run.getWorkerId());
  }

  private static String targetNoun(Run run) {
    return WorkloadKinds.isHost(run.getWorkload()) ? "the probe of host" : "worker";
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

  private Experiment existing(String id) {
    return book.experiment(id).orElseThrow(() -> Status.NOT_FOUND
        .withDescription("experiment '" + id + "' not found")
        .asRuntimeException());
  }

  private Timestamp now() {
    return Timestamps.fromMillis(clock.millis());
  }
}

package dev.kvmmp.cli.bench;

import dev.kvmmp.cli.bench.JstatGc.HeapSample;
import dev.kvmmp.cli.bench.SchedulerBenchReport.CoordinatorCost;
import dev.kvmmp.cli.bench.SchedulerBenchReport.Outcome;
import dev.kvmmp.cli.bench.SchedulerBenchReport.Setup;
import dev.kvmmp.proto.v1.CancelRequest;
import dev.kvmmp.proto.v1.Experiment;
import dev.kvmmp.proto.v1.ExperimentServiceGrpc;
import dev.kvmmp.proto.v1.ExperimentServiceGrpc.ExperimentServiceBlockingStub;
import dev.kvmmp.proto.v1.ExperimentState;
import dev.kvmmp.proto.v1.ListExperimentsRequest;
import dev.kvmmp.proto.v1.ListExperimentsResponse;
import dev.kvmmp.proto.v1.RunCounts;
import dev.kvmmp.proto.v1.SubmitRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One scheduler bench: a coordinator in its own JVM, N simulated workers registered with it, one
 * experiment across them followed to its end, and what it all cost the coordinator.
 */
final class SchedulerBench {

  private static final Set<ExperimentState> FINAL = Set.of(
      ExperimentState.EXPERIMENT_STATE_SUCCEEDED, ExperimentState.EXPERIMENT_STATE_FAILED,
      ExperimentState.EXPERIMENT_STATE_CANCELLED);
  private static final long POLL_MILLIS = 100;
  private static final long PROGRESS_NANOS = TimeUnit.SECONDS.toNanos(2);
  private static final Duration CALL_DEADLINE = Duration.ofMinutes(5);
  private static final Duration POLL_DEADLINE = Duration.ofSeconds(10);

  private final Setup setup;
  private final Duration timeout;
  private final PrintWriter err;
  private final long startNanos = System.nanoTime();

  SchedulerBench(Setup setup, Duration timeout, PrintWriter err) {
    this.setup = setup;
    this.timeout = timeout;
    this.err = err;
  }

  SchedulerBenchReport run(ChildProcesses children) throws TrialException, InterruptedException {
    try (BenchCoordinator coordinator = BenchCoordinator.start(children, setup.maxHeap(),
        setup.coordinatorOptions())) {
      progress("coordinator (pid %d) listening on 127.0.0.1:%d", coordinator.pid(),
          coordinator.port());
      DecisionLatencies latencies = new DecisionLatencies(setup.experiment().runsPerFleet());
      ManagedChannel control = NettyChannelBuilder.forAddress("127.0.0.1", coordinator.port())
          .usePlaintext().build();
      long registrationStart = System.nanoTime();
      try (SimulatedFleet fleet = SimulatedFleet.connect(coordinator.port(), setup.channels(),
          setup.workers(), setup.runMillis(), latencies)) {
        awaitRegistration(fleet, coordinator);
        long registration = System.nanoTime() - registrationStart;
        HeapSample heapRegistered = coordinator.heapAfterFullGc();
        coordinator.startHeapSampler();
        long cpuBefore = coordinator.cpuNanos();
        long benchCpuBefore = ownCpuNanos();
        ExperimentServiceBlockingStub experiments = ExperimentServiceGrpc.newBlockingStub(control);
        long submitStart = System.nanoTime();
        latencies.submitting(submitStart);
        Experiment submitted = call(coordinator, () -> experiments
            .withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
            .submit(SubmitRequest.newBuilder().setSpec(setup.experiment().spec()).build()));
        long submitNanos = System.nanoTime() - submitStart;
        progress("submitted %s: %d runs", submitted.getId(), submitted.getRunCounts().getTotal());
        Experiment last = follow(experiments, submitted, coordinator, submitStart);
        long measured = System.nanoTime() - submitStart;
        long cpu = coordinator.cpuNanos() - cpuBefore;
        long benchCpu = ownCpuNanos() - benchCpuBefore;
        List<HeapSample> samples = coordinator.sampledHeap();
        HeapSample heapEnd = coordinator.heapAfterFullGc();
        CoordinatorCost cost = cost(cpu, heapRegistered, heapEnd, samples,
            coordinator.peakRssBytes());
        List<CoordinatorDecisions> timers = coordinator.timers(CoordinatorDecisions.DECISION,
            CoordinatorDecisions.ASSIGNMENT_DELAY);
        progress("done");
        return new SchedulerBenchReport(setup, outcome(last, fleet, registration, submitNanos,
            measured, benchCpu), latencies.firstWave(), latencies.nextRun(), timers.get(0), timers.get(1), cost);
      } finally {
        control.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
      }
    }
  }

  private Outcome outcome(Experiment last, SimulatedFleet fleet, long registration,
      long submitNanos, long measured, long benchCpu) {
    boolean finished = FINAL.contains(last.getState());
    return new Outcome(finished ? state(last) : "timed out after " + timeout, finished,
        last.getRunCounts().getSucceeded(), last.getRunCounts().getFailed(),
        last.getRunCounts().getCancelled(), registration, submitNanos, measured, benchCpu,
        fleet.lostCount(), fleet.firstLoss().orElse(""), fleet.waitingCount());
  }

  private static long ownCpuNanos() throws TrialException {
    try {
      return ProcessCpu.selfNanos();
    } catch (java.io.IOException e) {
      throw new TrialException("cannot read the bench's own CPU time: " + e.getMessage(), e);
    }
  }

  private void awaitRegistration(SimulatedFleet fleet, BenchCoordinator coordinator)
      throws TrialException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!fleet.awaitRegistered(PROGRESS_NANOS, TimeUnit.NANOSECONDS)) {
      progress("registered %d/%d", fleet.registeredCount(), setup.workers());
      if (coordinator.exited().isPresent()) {
        throw new TrialException(coordinator.exited().get());
      }
      if (fleet.lostCount() > 0) {
        throw new TrialException(fleet.lostCount() + " worker streams failed while registering,"
            + " e.g. " + fleet.firstLoss().orElse(""));
      }
      if (System.nanoTime() > deadline) {
        throw new TrialException("only " + fleet.registeredCount() + " of " + setup.workers()
            + " workers registered within --timeout " + timeout);
      }
    }
    progress("registered %d/%d", setup.workers(), setup.workers());
  }

  /**
   * Polls the experiment's run counts until it reaches a final state or the timeout. A
   * coordinator too busy to answer within {@link #POLL_DEADLINE} is polled again: its slowness
   * is what is measured.
   */
  private Experiment follow(ExperimentServiceBlockingStub experiments, Experiment submitted,
      BenchCoordinator coordinator, long since) throws TrialException, InterruptedException {
    long deadline = since + timeout.toNanos();
    long nextProgress = System.nanoTime() + PROGRESS_NANOS;
    Experiment last = submitted;
    while (true) {
      Optional<Experiment> seen = find(experiments, submitted.getId(), coordinator);
      last = seen.orElse(last);
      if (FINAL.contains(last.getState())) {
        return last;
      }
      if (System.nanoTime() > nextProgress) {
        nextProgress = System.nanoTime() + PROGRESS_NANOS;
        RunCounts counts = last.getRunCounts();
        progress("runs done %d/%d (%d running)%s", counts.getTotal() - counts.getPending()
                - counts.getRunning(), counts.getTotal(), counts.getRunning(),
            seen.isPresent() ? "" : "; the coordinator did not answer List within "
                + POLL_DEADLINE.toSeconds() + " s");
      }
      if (System.nanoTime() > deadline) {
        progress("--timeout %s reached: cancelling %s", timeout, submitted.getId());
        try {
          experiments.withDeadlineAfter(POLL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
              .cancel(CancelRequest.newBuilder().setId(submitted.getId())
                  .setReason("bench timed out").build());
        } catch (StatusRuntimeException e) {
          progress("cancel not answered (%s); the coordinator is stopped anyway", e.getStatus());
        }
        return last;
      }
      Thread.sleep(POLL_MILLIS);
    }
  }

  /** The experiment as List shows it; empty when the coordinator did not answer in time. */
  private Optional<Experiment> find(ExperimentServiceBlockingStub experiments, String id,
      BenchCoordinator coordinator) throws TrialException {
    ListExperimentsResponse listed;
    try {
      // List rather than Get: Get carries every run and its result, megabytes at this scale.
      listed = experiments.withDeadlineAfter(POLL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
          .list(ListExperimentsRequest.newBuilder().setLimit(100).build());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED
          && coordinator.exited().isEmpty()) {
        return Optional.empty();
      }
      throw new TrialException("coordinator call failed: " + e.getStatus()
          + coordinator.exited().map(why -> "; " + why).orElse(""), e);
    }
    return Optional.of(listed.getExperimentsList().stream()
        .filter(e -> e.getId().equals(id))
        .findFirst()
        .orElseThrow(() -> new TrialException("experiment " + id
            + " is not among the coordinator's 100 newest experiments")));
  }

  private interface Call<T> {
    T call();
  }

  private static <T> T call(BenchCoordinator coordinator, Call<T> call) throws TrialException {
    try {
      return call.call();
    } catch (StatusRuntimeException e) {
      throw new TrialException("coordinator call failed: " + e.getStatus()
          + coordinator.exited().map(why -> "; " + why).orElse(""), e);
    }
  }

  private static CoordinatorCost cost(long cpu, HeapSample registered, HeapSample end,
      List<HeapSample> samples, long peakRss) {
    long peakUsed = samples.stream().mapToLong(HeapSample::usedBytes).max().orElse(0);
    long peakCommitted = samples.stream().mapToLong(HeapSample::committedBytes).max().orElse(0);
    HeapSample first = samples.isEmpty() ? registered : samples.get(0);
    HeapSample last = samples.isEmpty() ? registered : samples.get(samples.size() - 1);
    return new CoordinatorCost(cpu, registered, end, peakUsed, peakCommitted,
        last.youngGcs() - first.youngGcs(), last.fullGcs() - first.fullGcs(),
        last.gcSeconds() - first.gcSeconds(), peakRss);
  }

  private static String state(Experiment experiment) {
    return experiment.getState().name().replace("EXPERIMENT_STATE_", "").toLowerCase(Locale.ROOT);
  }

  private void progress(String format, Object... args) {
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - startNanos);
    err.printf(Locale.ROOT, "scheduler bench: " + format + ", %d:%02d elapsed%n",
        append(args, seconds / 60, seconds % 60));
    err.flush();
  }

  private static Object[] append(Object[] args, Object... more) {
    Object[] all = new Object[args.length + more.length];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return all;
  }
}

package dev.kvmmp.worker.session;

import dev.kvmmp.knobs.KnobException;
import dev.kvmmp.proto.v1.GuestDeltas;
import dev.kvmmp.proto.v1.GuestFacts;
import dev.kvmmp.proto.v1.KnobReport;
import dev.kvmmp.proto.v1.KnobValue;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunResult;
import dev.kvmmp.spec.WorkloadKinds;
import dev.kvmmp.worker.attribution.ExitCauseCounters;
import dev.kvmmp.worker.attribution.Explanation;
import dev.kvmmp.worker.attribution.IdleEntries;
import dev.kvmmp.worker.attribution.KnobVerdicts;
import dev.kvmmp.worker.deltas.GuestDeltasRecorder;
import dev.kvmmp.worker.deltas.IdleStateCounters;
import dev.kvmmp.worker.facts.CpuList;
import dev.kvmmp.knobs.AppliedKnobs;
import dev.kvmmp.worker.knobs.GuestKnobs;
import dev.kvmmp.worker.knobs.KnobNames;
import dev.kvmmp.worker.placement.PlacementPlan;
import dev.kvmmp.worker.workload.Measurements;
import dev.kvmmp.worker.workload.Outcome;
import dev.kvmmp.worker.workload.RunContext;
import dev.kvmmp.worker.workload.RunControl;
import dev.kvmmp.worker.workload.Window;
import dev.kvmmp.worker.workload.WindowObserver;
import dev.kvmmp.worker.workload.WindowObservers;
import dev.kvmmp.worker.workload.Workload;
import dev.kvmmp.worker.workload.WorkloadException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * Runs one run on the calling thread: places it, sets its guest knobs, runs its workload under a
 * deadline, puts the knobs back, and turns the outcome into the result the coordinator gets,
 * with the guest's facts, counter deltas and the knobs as read back. The worker's session uses
 * it for runs from the coordinator; benchmarks use it directly.
 */
public final class RunExecutor {

  /** Time a run may take beyond its warm-up and window (starting processes, tearing down). */
  public static final Duration DEFAULT_GRACE = Duration.ofSeconds(30);

  private final Map<String, Workload> workloads;
  private final Supplier<GuestFacts> facts;
  private final ScheduledExecutorService timer;
  private final Path proc;
  private final GuestKnobs knobs;
  private final Duration grace;
  private final boolean countExitCauses;

  /**
   * @param countExitCauses whether to count the guest events that cause VM exits over each
   *     window (perf counters; needs root): off only to measure what counting costs
   */
  public RunExecutor(Map<String, Workload> workloads, Supplier<GuestFacts> facts,
      ScheduledExecutorService timer, Path proc, GuestKnobs knobs, Duration grace,
      boolean countExitCauses) {
    this.workloads = workloads;
    this.facts = facts;
    this.timer = timer;
    this.proc = proc;
    this.knobs = knobs;
    this.grace = grace;
    this.countExitCauses = countExitCauses;
  }

  /** Runs {@code run} on the calling thread; {@code control} lets another thread cancel it. */
  public RunResult execute(Run run, RunControl control) throws WorkloadException {
    return execute(run, control, WindowObserver.NONE);
  }

  /**
   * Runs {@code run} with {@code bracket} told around its window outside every other observer:
   * first when it opens, last when it closes, so that what it triggers (the host's snapshots)
   * encloses the guest's own counts.
   */
  public RunResult execute(Run run, RunControl control, WindowObserver bracket)
      throws WorkloadException {
    Workload workload = workloads.get(WorkloadKinds.of(run.getWorkload()));
    if (workload == null) {
      throw new WorkloadException("this worker does not run " + WorkloadKinds.of(run.getWorkload())
          + " (it runs " + String.join(", ", workloads.keySet().stream().sorted().toList()) + ")");
    }
    CpuList online = CpuList.online();
    PlacementPlan plan = PlacementPlan.of(run.getWorkload(), online);
    List<Integer> countedCpus = plan.cpus().isEmpty()
        ? IntStream.range(0, 4096).filter(online::contains).boxed().toList()
        : plan.cpus();
    GuestDeltasRecorder deltas = new GuestDeltasRecorder(proc, countedCpus);
    // sysfs sits beside /proc: tests that pass a fixture /proc pass a fixture root with both.
    IdleStateCounters idleStates =
        new IdleStateCounters(proc.toAbsolutePath().getParent(), countedCpus);
    try (ExitCauseCounters exitCauses = countExitCauses
        ? ExitCauseCounters.open(countedCpus, facts.get().getCpuidleStatesList()) : null) {
      WindowObserver guest = exitCauses == null ? WindowObservers.of(deltas, idleStates)
          : WindowObservers.of(deltas, idleStates, exitCauses);
      WindowObserver observer = bracket == WindowObserver.NONE ? guest
          : WindowObservers.of(bracket, guest);
      Window window = Window.of(run);
      RunContext context = new RunContext(run, window, plan, control, observer, deltas);
      AppliedKnobs applied;
      try {
        applied = knobs.apply(run.getGuestProfile(), countedCpus);
      } catch (KnobException e) {
        throw new WorkloadException(e.getMessage(), e);
      }
      Outcome outcome = runWithKnobs(applied, workload, context, window);

      long transactions = outcome.measurement().transactions();
      GuestDeltas.Builder seen = deltas.deltas().toBuilder();
      idleStates.fill(seen);
      RunResult.Builder result = Measurements.toResult(outcome.measurement())
          .setPlacement(outcome.placement());
      if (exitCauses != null) {
        exitCauses.fill(seen);
        result.setExplanation(Explanation.explain(seen.build(), transactions));
        IdleEntries.traceShortfall(seen.build()).ifPresent(result::addNotes);
      }
      if (!applied.values().isEmpty()) {
        KnobReport.Builder report = KnobReport.newBuilder().addAllValues(applied.values());
        if (exitCauses != null) {
          report.addAllVerdicts(KnobVerdicts.judge(run.getGuestProfile(),
              governorDuring(applied), seen.build(), transactions));
        }
        result.setKnobs(report);
      }
      return result.setGuestDeltas(seen).setGuestFacts(facts.get()).build();
    }
  }

  /** Runs the workload with the knobs set, and puts them back whatever happens. */
  private Outcome runWithKnobs(AppliedKnobs applied, Workload workload, RunContext context,
      Window window) throws WorkloadException {
    Outcome outcome;
    try {
      outcome = runUnderDeadline(workload, context, window);
    } catch (WorkloadException e) {
      throw putBackAfterFailure(applied, e);
    } catch (RuntimeException | Error e) {
      try {
        applied.close();
      } catch (KnobException restore) {
        e.addSuppressed(restore);
      }
      throw e;
    }
    try {
      applied.close();
    } catch (KnobException e) {
      throw new WorkloadException(e.getMessage(), e);
    }
    return outcome;
  }

  /** The governor read back after the knobs were set, else the one the guest had. */
  private String governorDuring(AppliedKnobs applied) {
    return applied.values().stream()
        .filter(v -> v.getName().equals(KnobNames.CPUIDLE_GOVERNOR))
        .map(KnobValue::getValue)
        .findFirst()
        .orElse(facts.get().getCpuidleGovernor());
  }

  private Outcome runUnderDeadline(Workload workload, RunContext context, Window window)
      throws WorkloadException {
    Duration deadline = window.longest().plus(grace);
    Thread runThread = Thread.currentThread();
    AtomicBoolean expired = new AtomicBoolean();
    RunControl control = context.control();
    ScheduledFuture<?> watchdog = timer.schedule(() -> {
      expired.set(true);
      control.cancel();
      // Interrupting unblocks channel I/O and parking, so a stuck peer cannot hold the worker.
      runThread.interrupt();
    }, deadline.toMillis(), TimeUnit.MILLISECONDS);
    Outcome outcome;
    try {
      outcome = workload.run(context);
    } catch (WorkloadException | RuntimeException e) {
      if (expired.get()) {
        throw deadlineExceeded(window, deadline);
      }
      throw e;
    } finally {
      watchdog.cancel(false);
      Thread.interrupted();
    }
    if (expired.get()) {
      throw deadlineExceeded(window, deadline);
    }
    return outcome;
  }

  // The run's own failure comes first; a knob left changed must still be reported, not lost.
  private static WorkloadException putBackAfterFailure(AppliedKnobs applied,
      WorkloadException failure) {
    try {
      applied.close();
      return failure;
    } catch (KnobException e) {
      return new WorkloadException(failure.getMessage() + "; and then " + e.getMessage(),
          failure);
    }
  }

  private WorkloadException deadlineExceeded(Window window, Duration deadline) {
    return new WorkloadException("run exceeded its deadline of " + deadline.toSeconds()
        + " s (warm-up " + window.warmup().toMillis() + " ms + window "
        + (window.counted() ? "of " + window.transactions() + " transactions, at most "
            : "") + window.duration().toMillis() + " ms + " + grace.toSeconds() + " s grace)");
  }
}

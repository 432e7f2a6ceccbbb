package dev.kvmmp.cli;

import dev.kvmmp.cli.reproduce.SeedChecks;
import dev.kvmmp.cli.reproduce.SeedOutcome;
import dev.kvmmp.cli.reproduce.TalkSeed;
import dev.kvmmp.proto.v1.Experiment;
import dev.kvmmp.proto.v1.ExperimentComparison;
import dev.kvmmp.proto.v1.ExperimentSpec;
import dev.kvmmp.proto.v1.GetExperimentResponse;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunReport;
import dev.kvmmp.proto.v1.WorkerInfo;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.KafkaException;

/**
 * Runs the seed experiments one after another on a started {@link LocalStack}, and collects
 * each one's runs with the aggregator's reports and comparison of them. An experiment that
 * fails on the way, or outlasts its deadline (cancelled then), costs only its own findings.
 * {@link #interrupt()} (Ctrl-C) cancels the experiment in progress — the worker puts its knobs
 * back — and runs no more.
 */
final class ReproduceSession implements AutoCloseable {

  /** How long the aggregator may take to report every run of an ended experiment. */
  private static final Duration REPORTS_WAIT = Duration.ofSeconds(60);
  /** An experiment may take this many times what its spec says before it is cancelled. */
  private static final int DEADLINE_FACTOR = 3;
  private static final Duration DEADLINE_SLACK = Duration.ofMinutes(1);

  private final LocalStack stack;
  private final ReproduceProgress progress;
  private final PrintStream followerOut;
  private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(
      runnable -> {
        Thread thread = new Thread(runnable, "kvmmp-reproduce-deadline");
        thread.setDaemon(true);
        return thread;
      });
  private volatile boolean interrupted;
  private volatile String currentExperiment;

  ReproduceSession(LocalStack stack, ReproduceProgress progress, PrintStream followerOut) {
    this.stack = stack;
    this.progress = progress;
    this.followerOut = followerOut;
  }

  /**
   * Says first which seeds this fleet cannot test, then runs the others in order; after
   * {@link #interrupt()}, the rest are not run.
   */
  List<SeedOutcome> run(Map<TalkSeed, ExperimentSpec> specs, List<WorkerInfo> workers)
      throws InterruptedException {
    Map<TalkSeed, String> notTestable = new EnumMap<>(TalkSeed.class);
    specs.forEach((seed, spec) -> SeedChecks.whyNotTestable(spec, workers, stack.whyNoProbe())
        .ifPresent(why -> {
          notTestable.put(seed, why);
          progress.skipped(seed);
          progress.line(seed.title() + ": not testable here: " + why);
        }));
    List<SeedOutcome> outcomes = new ArrayList<>();
    for (Map.Entry<TalkSeed, ExperimentSpec> seed : specs.entrySet()) {
      String whyNot = notTestable.get(seed.getKey());
      outcomes.add(whyNot != null
          ? SeedOutcome.notTestable(seed.getKey(), seed.getValue(), whyNot)
          : runOne(seed.getKey(), seed.getValue()));
    }
    return outcomes;
  }

  private SeedOutcome runOne(TalkSeed seed, ExperimentSpec spec) throws InterruptedException {
    if (interrupted) {
      progress.skipped(seed);
      return SeedOutcome.notRun(seed, spec, "the session was interrupted before it");
    }
    try {
      return submitAndFollow(seed, spec);
    } catch (StatusRuntimeException | KafkaException | IllegalStateException e) {
      // The findings of the other seeds still stand; this one says what went wrong.
      progress.skipped(seed);
      String why = "it failed: " + e.getMessage();
      progress.line(seed.title() + ": " + why);
      return SeedOutcome.notRun(seed, spec, why);
    }
  }

  private SeedOutcome submitAndFollow(TalkSeed seed, ExperimentSpec spec)
      throws InterruptedException {
    Experiment submitted;
    try {
      submitted = stack.client().submit(spec);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.FAILED_PRECONDITION) {
        throw e;
      }
      // The coordinator refuses what this fleet cannot run (a knob no guest has), naming it.
      progress.skipped(seed);
      String why = "the coordinator refused it: " + e.getStatus().getDescription();
      progress.line(seed.title() + ": not testable here: " + why);
      return SeedOutcome.notTestable(seed, spec, why);
    }
    String id = submitted.getId();
    currentExperiment = id;
    progress.started(seed, submitted.getRunCounts().getTotal());
    Duration deadline = ReproduceProgress.estimate(spec).multipliedBy(DEADLINE_FACTOR)
        .plus(DEADLINE_SLACK);
    ScheduledFuture<?> overdue = deadlines.schedule(() -> cancel(id, "kvmmp reproduce: not "
        + "done within " + deadline.toSeconds() + " s"), deadline.toMillis(), TimeUnit.MILLISECONDS);
    GetExperimentResponse ended;
    try {
      if (interrupted) {
        cancel(id, "kvmmp reproduce interrupted");
      }
      ended = new ExperimentFollower(stack.client(), followerOut, false, progress).follow(id);
    } finally {
      overdue.cancel(false);
      currentExperiment = null;
    }
    Map<String, RunReport> reports = awaitReports(ended.getRunsList());
    Optional<ExperimentComparison> comparison = spec.getFleetsCount() < 2 ? Optional.empty()
        : awaitComparison(id, reports.size());
    return new SeedOutcome(seed, spec, Optional.of(id), Optional.empty(), Optional.empty(),
        ended.getRunsList(), reports, comparison);
  }

  /** The aggregator's reports of the succeeded runs, all of them or what came in time. */
  private Map<String, RunReport> awaitReports(List<Run> runs) throws InterruptedException {
    Map<String, RunReport> found = RunReports.await(stack.kafkaServers(), runs, REPORTS_WAIT);
    int wanted = RunReports.succeeded(runs).size();
    if (found.size() < wanted) {
      progress.line("the aggregator reported " + found.size() + " of " + wanted
          + " runs within " + REPORTS_WAIT.toSeconds() + " s; the rest count as missing");
    }
    return found;
  }

  /**
   * The aggregator's comparison once it has counted {@code reported} runs (each reported run
   * is in one workload's comparison, as the baseline's or the other fleet's), or what it has
   * after a while.
   */
  private Optional<ExperimentComparison> awaitComparison(String experimentId, int reported)
      throws InterruptedException {
    Optional<ExperimentComparison> latest = CompareCommand.awaitUntil(stack.kafkaServers(),
        experimentId, comparison -> counted(comparison) >= reported, REPORTS_WAIT);
    if (latest.filter(comparison -> counted(comparison) >= reported).isPresent()) {
      return latest;
    }
    progress.line("the aggregator's comparison of " + experimentId + " had not counted every "
        + "run within " + REPORTS_WAIT.toSeconds() + " s");
    return latest;
  }

  /** The runs the comparison counted, over every fleet and workload. */
  private static int counted(ExperimentComparison comparison) {
    return comparison.getComparisonsList().stream()
        .mapToInt(c -> c.getRuns() + c.getBaselineRuns()).sum();
  }

  /** Ctrl-C: cancel the experiment in progress and run no more. */
  void interrupt() {
    interrupted = true;
    String experiment = currentExperiment;
    if (experiment != null) {
      cancel(experiment, "kvmmp reproduce interrupted");
    }
  }

  boolean interrupted() {
    return interrupted;
  }

  private void cancel(String experimentId, String reason) {
    try {
      stack.client().cancel(experimentId, reason);
      progress.line("cancelled " + experimentId + ": " + reason);
    } catch (StatusRuntimeException e) {
      progress.line("could not cancel " + experimentId + ": " + e.getStatus());
    }
  }

  @Override
  public void close() {
    deadlines.shutdownNow();
  }
}

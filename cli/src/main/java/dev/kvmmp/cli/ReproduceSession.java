package dev.kvmmp.cli;

import dev.kvmmp.cli.reproduce.SeedChecks;
import dev.kvmmp.cli.reproduce.SeedOutcome;
import dev.kvmmp.cli.reproduce.TalkSeed;
import dev.kvmmp.proto.v1.Experiment;
import dev.kvmmp.proto.v1.ExperimentSpec;
import dev.kvmmp.proto.v1.GetExperimentResponse;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunReport;
import dev.kvmmp.proto.v1.RunState;
import dev.kvmmp.proto.v1.WorkerInfo;
import dev.kvmmp.topics.KvmmpTopics;
import dev.kvmmp.topics.LatestValues;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs the seed experiments one after another on a started {@link LocalStack}, and collects
 * each one's runs with the aggregator's reports of them. {@link #interrupt()} (Ctrl-C) cancels
 * the experiment in progress — the worker puts its knobs back — and runs no more.
 */
final class ReproduceSession {

  /** How long the aggregator may take to report every run of an ended experiment. */
  private static final Duration REPORTS_WAIT = Duration.ofSeconds(60);
  private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

  private final LocalStack stack;
  private final ReproduceProgress progress;
  private final PrintStream followerOut;
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
      return SeedOutcome.notRun(seed, spec);
    }
    Experiment submitted;
    try {
      submitted = stack.client().submit(spec);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.UNAVAILABLE) {
        throw e;
      }
      // The coordinator refuses what this fleet cannot run (a knob no guest has), naming it.
      progress.skipped(seed);
      String why = "the coordinator refused it: " + e.getStatus().getDescription();
      progress.line(seed.title() + ": not testable here: " + why);
      return SeedOutcome.notTestable(seed, spec, why);
    }
    currentExperiment = submitted.getId();
    progress.started(seed, submitted.getRunCounts().getTotal());
    if (interrupted) {
      cancel(submitted.getId());
    }
    GetExperimentResponse ended = new ExperimentFollower(stack.client(), followerOut, false,
        progress).follow(submitted.getId());
    currentExperiment = null;
    Map<String, RunReport> reports = awaitReports(ended.getRunsList());
    return new SeedOutcome(seed, spec, Optional.of(submitted.getId()), Optional.empty(),
        ended.getRunsList(), reports);
  }

  /** The aggregator's reports of the succeeded runs, all of them or what came in time. */
  private Map<String, RunReport> awaitReports(List<Run> runs) throws InterruptedException {
    Set<String> wanted = runs.stream().filter(r -> r.getState() == RunState.RUN_STATE_SUCCEEDED)
        .map(Run::getId).collect(Collectors.toSet());
    long deadline = System.nanoTime() + REPORTS_WAIT.toNanos();
    Map<String, RunReport> found = new HashMap<>();
    while (true) {
      Map<String, RunReport> all = LatestValues.read(stack.kafkaServers(),
          KvmmpTopics.RUN_REPORTS, RunReport.parser(), READ_TIMEOUT);
      wanted.forEach(id -> {
        if (all.containsKey(id)) {
          found.put(id, all.get(id));
        }
      });
      if (found.size() == wanted.size()) {
        return found;
      }
      if (System.nanoTime() > deadline) {
        progress.line("the aggregator reported " + found.size() + " of " + wanted.size()
            + " runs within " + REPORTS_WAIT.toSeconds() + " s; the rest count as missing");
        return found;
      }
      Thread.sleep(500);
    }
  }

  /** Ctrl-C: cancel the experiment in progress and run no more. */
  void interrupt() {
    interrupted = true;
    String experiment = currentExperiment;
    if (experiment != null) {
      cancel(experiment);
    }
  }

  boolean interrupted() {
    return interrupted;
  }

  private void cancel(String experimentId) {
    try {
      stack.client().cancel(experimentId, "kvmmp reproduce interrupted");
    } catch (StatusRuntimeException e) {
      progress.line("could not cancel " + experimentId + ": " + e.getStatus());
    }
  }
}

package dev.kvmmp.cli;

import com.google.protobuf.util.Durations;
import dev.kvmmp.cli.output.RunTable;
import dev.kvmmp.cli.reproduce.TalkSeed;
import dev.kvmmp.proto.v1.Experiment;
import dev.kvmmp.proto.v1.ExperimentSpec;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunProgress;
import dev.kvmmp.proto.v1.RunState;
import dev.kvmmp.proto.v1.Workload;
import dev.kvmmp.spec.ExperimentSpecDefaults;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The progress of a reproduce session, a line per finished run: which experiment, its runs
 * done of its total, all runs done of all, elapsed time and the time left. The time left counts
 * the runs to come at the pace measured so far in their experiment, or at what their spec says
 * before the experiment's first run ends.
 */
final class ReproduceProgress implements ExperimentFollower.Listener {

  /** What a run costs beyond its window: dispatch, setup, the result's way back. */
  private static final double OVERHEAD_SECONDS = 0.4;
  /** A micro-VM round trip under nested emulation, without polling (the slowest case). */
  private static final double ROUND_TRIP_SECONDS = 120e-6;

  private final PrintWriter out;
  private final long startedNanos = System.nanoTime();
  private final Map<TalkSeed, Integer> planned = new EnumMap<>(TalkSeed.class);
  private final Map<TalkSeed, Double> estimatedSeconds = new EnumMap<>(TalkSeed.class);
  private final Map<TalkSeed, Integer> done = new EnumMap<>(TalkSeed.class);
  private final Set<String> counted = new HashSet<>();
  private TalkSeed current;
  private long currentStartedNanos;

  ReproduceProgress(Map<TalkSeed, ExperimentSpec> specs, PrintWriter out) {
    this.out = out;
    specs.forEach((seed, spec) -> {
      ExperimentSpec full = ExperimentSpecDefaults.apply(spec);
      planned.put(seed, runsOf(full));
      estimatedSeconds.put(seed, secondsPerRun(full));
      done.put(seed, 0);
    });
  }

  /** What the spec says its experiment takes, one run after another. */
  static Duration estimate(ExperimentSpec spec) {
    ExperimentSpec full = ExperimentSpecDefaults.apply(spec);
    return Duration.ofMillis((long) (runsOf(full) * secondsPerRun(full) * 1000));
  }

  /** The seed is not run (not testable here, or interrupted): no runs to wait for. */
  void skipped(TalkSeed seed) {
    planned.put(seed, done.getOrDefault(seed, 0));
  }

  /** The seed's experiment starts now, with {@code runs} runs. */
  void started(TalkSeed seed, int runs) {
    current = seed;
    currentStartedNanos = System.nanoTime();
    planned.put(seed, runs);
    line(seed.title() + ": " + runs + " runs");
  }

  @Override
  public synchronized void runChanged(Experiment experiment, Run run) {
    boolean finished = run.getState() == RunState.RUN_STATE_SUCCEEDED
        || run.getState() == RunState.RUN_STATE_FAILED
        || run.getState() == RunState.RUN_STATE_CANCELLED;
    if (!finished || current == null || !counted.add(run.getId())) {
      return;
    }
    int seedDone = done.merge(current, 1, Integer::sum);
    double measured = (System.nanoTime() - currentStartedNanos) / 1e9 / seedDone;
    estimatedSeconds.put(current, measured);
    line(String.format(Locale.ROOT, "%s %d/%d, all %d/%d, left %s: %s %s %s%s",
        current.title(), seedDone, planned.get(current), total(done), total(planned),
        clock(secondsLeft()), run.getId(), run.getWorkload().getName(),
        RunTable.stateName(run.getState()),
        run.getReason().isEmpty() ? "" : " (" + run.getReason() + ")"));
  }

  @Override
  public void progress(Experiment experiment, RunProgress progress) {
    // A line per finished run is enough; progress within a run of a few seconds is noise.
  }

  /** Prints one line with the elapsed time. */
  synchronized void line(String text) {
    out.printf(Locale.ROOT, "[%s] %s%n", clock((System.nanoTime() - startedNanos) / 1e9), text);
    out.flush();
  }

  private double secondsLeft() {
    double left = 0;
    for (TalkSeed seed : planned.keySet()) {
      left += Math.max(0, planned.get(seed) - done.get(seed)) * estimatedSeconds.get(seed);
    }
    return left;
  }

  private static int total(Map<TalkSeed, Integer> counts) {
    return counts.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** The runs of a spec with its defaults applied. */
  private static int runsOf(ExperimentSpec spec) {
    return spec.getWorkloadsCount() * spec.getFleetsCount() * spec.getRepetitions();
  }

  /** What a spec with its defaults applied says a run takes, on average over its workloads. */
  private static double secondsPerRun(ExperimentSpec spec) {
    double sum = 0;
    for (Workload workload : spec.getWorkloadsList()) {
      sum += OVERHEAD_SECONDS + (workload.hasIpiHalt()
          ? (workload.getIpiHalt().getRoundTrips() + workload.getIpiHalt().getWarmupRoundTrips())
              * ROUND_TRIP_SECONDS
          : (Durations.toMillis(spec.getWarmup()) + Durations.toMillis(spec.getDuration())) / 1e3);
    }
    return spec.getWorkloadsCount() == 0 ? 0 : sum / spec.getWorkloadsCount();
  }

  private static String clock(double seconds) {
    return ExperimentFollower.clock(Duration.ofMillis((long) (seconds * 1000)));
  }
}

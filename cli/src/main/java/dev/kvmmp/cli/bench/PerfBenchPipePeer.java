package dev.kvmmp.cli.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code perf bench sched pipe -T}: two threads passing a token through a pair of pipes, the
 * peer of kvmmp's condvar PIPE. It runs a number of loops, not a duration, so the loop count is
 * calibrated once per placement from a short run.
 */
public final class PerfBenchPipePeer implements NativePeer {

  private static final long CALIBRATION_LOOPS = 20_000;
  private static final long MIN_LOOPS = 1_000;
  private static final long MAX_LOOPS = 1_000_000_000;

  private final Executables executables;
  private final ChildProcesses children;
  private final Map<BenchPlacement, Long> loopsPerSecond = new EnumMap<>(BenchPlacement.class);

  public PerfBenchPipePeer(Executables executables, ChildProcesses children) {
    this.executables = executables;
    this.children = children;
  }

  @Override
  public String name() {
    return "perf bench";
  }

  @Override
  public Optional<String> unavailableReason() {
    return executables.missing("perf", "linux-perf", "taskset", "util-linux");
  }

  @Override
  public String placementLabel(BenchPlacement placement) {
    return WorkerThreadPinning.label(placement);
  }

  @Override
  public Figures run(BenchPlacement placement, Duration duration) throws TrialException {
    long loops = Math.max(MIN_LOOPS, Math.min(MAX_LOOPS,
        loopsPerSecond(placement) * Math.max(1, duration.toMillis()) / 1000));
    PerfBenchPipeOutput output = run(placement, loops, duration);
    return Figures.meanOnly(output.usecsPerOp());
  }

  private long loopsPerSecond(BenchPlacement placement) throws TrialException {
    Long known = loopsPerSecond.get(placement);
    if (known == null) {
      PerfBenchPipeOutput calibration = run(placement, CALIBRATION_LOOPS, Duration.ofSeconds(5));
      known = Math.max(1, Math.round(1e6 / Math.max(calibration.usecsPerOp(), 1e-3)));
      loopsPerSecond.put(placement, known);
    }
    return known;
  }

  private PerfBenchPipeOutput run(BenchPlacement placement, long loops, Duration expected)
      throws TrialException {
    List<String> command = new ArrayList<>(List.of("taskset", "-c", placement.cpuList(),
        "perf", "bench", "sched", "pipe", "-T", "-l", Long.toString(loops)));
    // The calibrated count may be off when the machine got slower; allow four times as long.
    // perf bench cannot place its two threads apart itself.
    String output = children.run("perf bench sched pipe", command,
        expected.multipliedBy(4).plusSeconds(30), placement == BenchPlacement.SAME_CPU
            ? child -> { } : WorkerThreadPinning.apart("perf bench sched pipe", placement));
    return PerfBenchPipeOutput.parse(output);
  }
}

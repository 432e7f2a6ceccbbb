package dev.kvmmp.cli.bench;

import static java.util.function.Function.identity;
import static java.util.stream.Collectors.toMap;

import dev.kvmmp.cli.output.LatencySummary;
import dev.kvmmp.proto.v1.GuestFacts;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunResult;
import dev.kvmmp.proto.v1.Workload;
import dev.kvmmp.spec.WorkloadKinds;
import dev.kvmmp.worker.knobs.GuestKnobs;
import dev.kvmmp.worker.session.RunExecutor;
import dev.kvmmp.worker.workload.RunControl;
import dev.kvmmp.worker.workload.WorkloadException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Runs kvmmp's side in this JVM through the worker's own {@link RunExecutor}, so the bench
 * measures exactly the code path a run from the coordinator takes, minus the network.
 */
public final class InProcessKvmmpSide implements KvmmpSide, AutoCloseable {

  /** What the table shows for a pair whose workload this build lacks. */
  static final String NOT_IN_BUILD = "kvmmp side not available in this build";

  private static final com.google.protobuf.Duration WARMUP =
      com.google.protobuf.Duration.newBuilder().setSeconds(1).build();

  private final Map<String, dev.kvmmp.worker.workload.Workload> workloads;
  private final ScheduledExecutorService timer;
  private final RunExecutor executor;

  /** Runs the given worker workloads, usually {@code Workloads.all()}, as a worker does. */
  public InProcessKvmmpSide(List<dev.kvmmp.worker.workload.Workload> workloads) {
    this(workloads, true);
  }

  /**
   * @param countExitCauses whether runs count exit-causing events, as a worker's runs do; off
   *     only to measure what counting costs
   */
  public InProcessKvmmpSide(List<dev.kvmmp.worker.workload.Workload> workloads,
      boolean countExitCauses) {
    this.workloads = workloads.stream()
        .collect(toMap(dev.kvmmp.worker.workload.Workload::kind, identity()));
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread thread = new Thread(r, "bench-run-watchdog");
      thread.setDaemon(true);
      return thread;
    });
    // Guest facts explain results on a fleet; a local comparison has no use for them.
    // Bench runs set no guest profile, so the knobs are never touched and no journal written.
    this.executor = new RunExecutor(this.workloads, GuestFacts::getDefaultInstance, timer,
        Path.of("/proc"), new GuestKnobs(Path.of("/"),
            GuestKnobs.journalIn(GuestKnobs.DEFAULT_STATE_DIR)), RunExecutor.DEFAULT_GRACE,
        countExitCauses);
  }

  @Override
  public Optional<String> unavailableReason(Workload workload) {
    return workloads.containsKey(WorkloadKinds.of(workload))
        ? Optional.empty() : Optional.of(NOT_IN_BUILD);
  }

  @Override
  public Figures run(String runId, Workload workload, Duration duration) throws TrialException {
    Run run = Run.newBuilder()
        .setId(runId)
        .setWorkload(workload)
        .setWarmup(WARMUP)
        .setDuration(com.google.protobuf.Duration.newBuilder()
            .setSeconds(duration.getSeconds()).setNanos(duration.getNano()))
        .build();
    RunResult result;
    try {
      result = executor.execute(run, new RunControl());
    } catch (WorkloadException e) {
      throw new TrialException("kvmmp run " + runId + " failed: " + e.getMessage(), e);
    }
    LatencySummary summary = LatencySummary.of(result);
    if (summary.transactions() == 0) {
      throw new TrialException("kvmmp run " + runId + " measured no transactions");
    }
    return Figures.of(summary.p50Us(), summary.p99Us(), summary.meanUs());
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}

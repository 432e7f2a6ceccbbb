package dev.kvmmp.probe.hostrun;

import com.google.protobuf.util.Durations;
import dev.kvmmp.probe.microvm.IpiHaltProgress;
import dev.kvmmp.probe.microvm.IpiHaltResult;
import dev.kvmmp.probe.microvm.IpiHaltRun;
import dev.kvmmp.probe.microvm.IpiHaltSettings;
import dev.kvmmp.probe.microvm.KvmException;
import dev.kvmmp.probe.microvm.Placement;
import dev.kvmmp.proto.v1.IpiHalt;
import dev.kvmmp.proto.v1.ProbeMessage;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunCompleted;
import dev.kvmmp.proto.v1.RunProgress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.Consumer;

/** One assigned ipi_halt run: the run's settings, and reporting it over the probe stream. */
final class IpiHaltAssignment {

  /** Progress goes out at most this often: batches end every few ms. */
  private static final long PROGRESS_EVERY_NS = Duration.ofMillis(500).toNanos();
  /** Set-up and teardown, on top of the round trips' allowance. */
  private static final Duration DEADLINE_BASE = Duration.ofSeconds(60);
  /** Ten times the slowest round trip seen (~150 us under KVM's emulator), so only a hang ends. */
  private static final Duration DEADLINE_PER_ROUND_TRIP = Duration.ofMillis(2);

  private final String runId;
  private final IpiHaltRun run;
  private final Consumer<ProbeMessage> send;
  private long lastProgressNs;
  private long phaseStartNs;
  private boolean warmupSeen;

  IpiHaltAssignment(String runId, IpiHaltRun run, Consumer<ProbeMessage> send) {
    this.runId = runId;
    this.run = run;
    this.send = send;
  }

  /**
   * The micro-VM settings of {@code run}: its fleet's halt polling, its placement and host CPUs,
   * its round trips; a deadline allowing for every round trip.
   *
   * @throws IllegalArgumentException naming the field when the run cannot be one (unpinned)
   */
  static IpiHaltSettings settings(Run run, Path kvm) {
    Placement placement = switch (run.getWorkload().getPlacement()) {
      case PLACEMENT_SAME_CPU -> Placement.SAME_CPU;
      case PLACEMENT_CROSS_CPU -> Placement.DIFFERENT_CPUS;
      default -> throw new IllegalArgumentException("workload.placement: "
          + run.getWorkload().getPlacement() + "; ipi_halt pins its vCPU threads: same-cpu or "
          + "cross-cpu");
    };
    IpiHalt ipiHalt = run.getWorkload().getIpiHalt();
    OptionalLong haltPollNs = run.getMicroVm().hasHaltPollNs()
        ? OptionalLong.of(run.getMicroVm().getHaltPollNs()) : OptionalLong.empty();
    long roundTrips = (long) ipiHalt.getRoundTrips() + ipiHalt.getWarmupRoundTrips();
    Duration deadline = DEADLINE_BASE.plus(DEADLINE_PER_ROUND_TRIP.multipliedBy(roundTrips));
    List<Integer> cpus = run.getWorkload().getCpusList();
    return new IpiHaltSettings(haltPollNs, placement, ipiHalt.getRoundTrips(),
        ipiHalt.getWarmupRoundTrips(), deadline, kvm, cpus);
  }

  /** Runs to the end and sends RunCompleted, or RunFailed with the reason (and vCPU states). */
  void run() {
    Instant start = Instant.now();
    phaseStartNs = System.nanoTime();
    try {
      IpiHaltResult result = run.run(this::progress);
      send.accept(ProbeMessage.newBuilder().setCompleted(RunCompleted.newBuilder()
          .setRunId(runId)
          .setResult(IpiHaltRunResults.of(result, start, Instant.now()))).build());
    } catch (KvmException | IllegalArgumentException e) {
      // IpiHaltException's message carries the vCPU states.
      send.accept(HostRuns.failed(runId, e.getMessage()));
    } catch (RuntimeException e) {
      send.accept(HostRuns.failed(runId, "ipi_halt failed unexpectedly: " + e));
    }
  }

  private void progress(IpiHaltProgress progress) {
    long now = System.nanoTime();
    if (progress.warmup()) {
      warmupSeen = true;
    } else if (warmupSeen) {
      warmupSeen = false;
      phaseStartNs = now;
    }
    if (now - lastProgressNs < PROGRESS_EVERY_NS && progress.done() < progress.total()) {
      return;
    }
    lastProgressNs = now;
    send.accept(ProbeMessage.newBuilder().setProgress(RunProgress.newBuilder()
        .setRunId(runId)
        .setPhase(progress.warmup() ? "warmup" : "measure")
        .setTransactions(progress.done())
        .setElapsed(Durations.fromNanos(now - phaseStartNs))).build());
  }
}

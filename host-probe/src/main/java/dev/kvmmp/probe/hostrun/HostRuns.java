package dev.kvmmp.probe.hostrun;

import dev.kvmmp.probe.microvm.IpiHaltRun;
import dev.kvmmp.probe.microvm.IpiHaltSettings;
import dev.kvmmp.proto.v1.ProbeMessage;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunFailed;
import dev.kvmmp.spec.WorkloadKinds;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host workloads a probe runs for the coordinator (ipi_halt), one at a time, on a thread of
 * their own so that knob and snapshot requests keep being answered during a run. A second
 * assignment while one runs is refused with RunFailed.
 */
public final class HostRuns implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(HostRuns.class);
  private static final long CLOSE_TIMEOUT_SECONDS = 10;

  /** The run in hand: its id and the micro-VM run that {@link #cancel} stops. */
  private record Current(String runId, IpiHaltRun run) {}

  private final Path kvm;
  private final List<String> workloads;
  private final ExecutorService runThread = Executors.newSingleThreadExecutor(r -> {
    Thread thread = new Thread(r, "kvmmp-probe-host-run");
    thread.setDaemon(true);
    return thread;
  });
  private Current current;

  /** Host workloads are offered only when {@code kvm} opens; otherwise the log says why not. */
  public HostRuns(Path kvm) {
    this.kvm = kvm;
    Optional<String> unavailable = IpiHaltRun.unavailable(kvm);
    unavailable.ifPresent(why -> log.info("host workload ipi_halt not offered: {}", why));
    this.workloads = unavailable.isPresent() ? List.of() : List.copyOf(
        WorkloadKinds.HOST_WORKLOADS);
  }

  /** What the probe registers as runnable here, e.g. ["ipi_halt"]. */
  public List<String> workloads() {
    return workloads;
  }

  /**
   * Starts {@code run} on the run thread; its progress, result or failure go to {@code send}.
   * Refused (a RunFailed to {@code send}) when another run is in hand or the kind is not
   * offered here.
   */
  public synchronized void start(Run run, Consumer<ProbeMessage> send) {
    String kind = WorkloadKinds.of(run.getWorkload());
    if (!workloads.contains(kind)) {
      send.accept(failed(run.getId(), "host workload " + kind + " is not offered by this probe ("
          + (workloads.isEmpty() ? "none is: " + IpiHaltRun.unavailable(kvm).orElse("?")
              : "offered: " + workloads) + ")"));
      return;
    }
    if (current != null) {
      send.accept(failed(run.getId(), "run " + current.runId() + " is still running here; a "
          + "probe runs one host workload at a time"));
      return;
    }
    IpiHaltSettings settings;
    try {
      settings = IpiHaltAssignment.settings(run, kvm);
    } catch (IllegalArgumentException e) {
      send.accept(failed(run.getId(), e.getMessage()));
      return;
    }
    Current started = new Current(run.getId(), new IpiHaltRun(settings));
    current = started;
    try {
      runThread.execute(() -> {
        try {
          new IpiHaltAssignment(run.getId(), started.run(), send).run();
        } finally {
          finished(started);
        }
      });
    } catch (RejectedExecutionException e) {
      current = null;
      send.accept(failed(run.getId(), "the probe is shutting down"));
    }
  }

  /** Stops {@code runId} if it is the run in hand; it then reports RunFailed "cancelled". */
  public synchronized void cancel(String runId) {
    if (current != null && current.runId().equals(runId)) {
      current.run().cancel();
    }
  }

  /** Stops whatever runs: the session that asked for it is gone. */
  public synchronized void cancelAll(String why) {
    if (current != null) {
      log.info("cancelling run {}: {}", current.runId(), why);
      current.run().cancel();
    }
  }

  private synchronized void finished(Current run) {
    if (current == run) {
      current = null;
    }
  }

  static ProbeMessage failed(String runId, String reason) {
    return ProbeMessage.newBuilder()
        .setFailed(RunFailed.newBuilder().setRunId(runId).setReason(reason)).build();
  }

  /** Cancels the run in hand and waits for its teardown (the VM and its threads gone). */
  @Override
  public void close() throws InterruptedException {
    cancelAll("probe shutting down");
    runThread.shutdown();
    if (!runThread.awaitTermination(CLOSE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      log.warn("the host run did not stop within {} s of its cancel", CLOSE_TIMEOUT_SECONDS);
    }
  }
}

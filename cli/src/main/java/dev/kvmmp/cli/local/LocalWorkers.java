package dev.kvmmp.cli.local;

import dev.kvmmp.cli.CoordinatorClient;
import dev.kvmmp.knobs.RecoveryOutcome;
import dev.kvmmp.proto.v1.WorkerInfo;
import dev.kvmmp.worker.knobs.GuestKnobs;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The guest-workers of {@code kvmmp local}: child processes, connected to the coordinator. */
public final class LocalWorkers implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LocalWorkers.class);

  private final List<LocalWorkerProcess> processes;
  private final List<WorkerInfo> connected;
  private final Path logDir;

  private LocalWorkers(List<LocalWorkerProcess> processes, List<WorkerInfo> connected,
      Path logDir) {
    this.processes = processes;
    this.connected = connected;
    this.logDir = logDir;
  }

  /**
   * Starts {@code count} workers named local-1.. and waits until all of them are registered
   * with the coordinator; stops the ones it started if that fails.
   *
   * @throws LocalStartException when a worker cannot start, dies before registering, or not
   *     all are registered within {@code timeout}
   */
  public static LocalWorkers start(int count, String coordinator, Path stateDir,
      CoordinatorClient client, Duration timeout) throws LocalStartException,
      InterruptedException {
    Path logDir = stateDir.resolve("logs");
    List<LocalWorkerProcess> processes = new ArrayList<>();
    try {
      for (int i = 1; i <= count; i++) {
        String id = "local-" + i;
        processes.add(LocalWorkerProcess.start(id, coordinator, logDir,
            stateDir.resolve("workers").resolve(id)));
      }
      return new LocalWorkers(processes, awaitRegistration(client, processes, logDir, timeout),
          logDir);
    } catch (IOException e) {
      closeAll(processes);
      throw new LocalStartException("cannot start a guest-worker process (logs in " + logDir
          + "): " + e.getMessage(), e);
    } catch (LocalStartException | InterruptedException | RuntimeException e) {
      closeAll(processes);
      throw e;
    }
  }

  private static List<WorkerInfo> awaitRegistration(CoordinatorClient client,
      List<LocalWorkerProcess> processes, Path logDir, Duration timeout)
      throws LocalStartException, InterruptedException {
    Set<String> ids = processes.stream().map(LocalWorkerProcess::workerId)
        .collect(Collectors.toSet());
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      List<WorkerInfo> connected = client.workers().stream()
          .filter(w -> ids.contains(w.getWorkerId())).toList();
      if (connected.size() == ids.size()) {
        return connected;
      }
      for (LocalWorkerProcess process : processes) {
        if (!process.isAlive()) {
          throw new LocalStartException("worker " + process.workerId() + " exited before "
              + "connecting; end of " + process.log() + ":\n" + process.logTail(20));
        }
      }
      Thread.sleep(100);
    }
    throw new LocalStartException("workers did not connect within " + timeout.toSeconds()
        + " s; see " + logDir);
  }

  /** One line per connected worker: its facts and its log. */
  public List<String> describe() {
    return connected.stream().map(w -> String.format(Locale.ROOT, "worker %s connected: %d "
            + "vCPUs, %s, kernel %s, cpuidle %s/%s, log %s", w.getWorkerId(),
        w.getFacts().getVcpus(), w.getFacts().getCpuModel(), w.getFacts().getKernelRelease(),
        w.getFacts().getCpuidleDriver(), w.getFacts().getCpuidleGovernor(),
        logDir.resolve(w.getWorkerId() + ".log"))).toList();
  }

  public int count() {
    return processes.size();
  }

  /**
   * SIGTERM to each worker, SIGKILL to any that does not exit in time; then the knobs a worker
   * could not put back before it exited are put back from its journal, as the next worker on its
   * state directory would, since these workers run in this very guest and there may be no next.
   */
  @Override
  public void close() throws InterruptedException {
    closeAll(processes);
  }

  private static void closeAll(List<LocalWorkerProcess> processes) throws InterruptedException {
    for (LocalWorkerProcess process : processes) {
      process.close();
      RecoveryOutcome outcome = GuestKnobs.recover(GuestKnobs.journalIn(process.stateDir()),
          Path.of("/"));
      if (outcome != RecoveryOutcome.NOTHING_TO_RESTORE) {
        log.warn("worker {} exited with guest knobs changed; its journal: {}",
            process.workerId(), outcome);
      }
    }
  }
}

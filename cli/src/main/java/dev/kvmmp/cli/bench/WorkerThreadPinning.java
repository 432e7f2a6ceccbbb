package dev.kvmmp.cli.bench;

import dev.kvmmp.worker.placement.PinnedThread;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * Pins the two worker threads of a native peer one to each vCPU, right after it starts. perf
 * bench and ptsematest run a main thread and two workers, and have no option to place the
 * workers apart (ptsematest's -a puts both on one CPU); left alone, the scheduler puts them on
 * the same vCPU and the "cross-cpu" row measures a same-cpu hand-off. The workers run unpinned
 * for the few milliseconds before this, which a trial of seconds does not notice.
 */
final class WorkerThreadPinning {

  private static final Duration WAIT_FOR_THREADS = Duration.ofSeconds(5);

  private WorkerThreadPinning() {}

  /** A start hook: the child's first worker goes to the client vCPU, the second to the server's. */
  static ChildProcesses.StartHook apart(String what, BenchPlacement placement) {
    return child -> {
      List<Integer> workers = awaitWorkers(what, child);
      PinnedThread.pinTask(workers.get(0), placement.clientCpu());
      PinnedThread.pinTask(workers.get(1), placement.serverCpu());
    };
  }

  /** Where a peer placed this way runs, as the table shows it. */
  static String label(BenchPlacement placement) {
    return placement == BenchPlacement.SAME_CPU ? placement.cpuList()
        : "client " + placement.clientCpu() + ", server " + placement.serverCpu()
            + " (pinned after start)";
  }

  private static List<Integer> awaitWorkers(String what, ChildProcesses.Child child)
      throws TrialException {
    long deadline = System.nanoTime() + WAIT_FOR_THREADS.toNanos();
    while (System.nanoTime() < deadline && child.isAlive()) {
      List<Integer> tasks = tasksOf(child.pid());
      if (tasks.size() >= 3) {
        // The main thread's id is the pid; the workers are created after it.
        return tasks.stream().filter(tid -> tid != child.pid()).limit(2).toList();
      }
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TrialException("interrupted while waiting for " + what + " to start", e);
      }
    }
    throw new TrialException(what + " did not start its two worker threads within "
        + WAIT_FOR_THREADS.toSeconds() + " s, so they could not be pinned apart");
  }

  private static List<Integer> tasksOf(long pid) {
    try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
      return tasks.map(p -> Integer.parseInt(p.getFileName().toString())).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }
}

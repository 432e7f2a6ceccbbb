package dev.kvmmp.worker.workload;

import com.google.protobuf.util.Durations;
import dev.kvmmp.proto.v1.Run;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.FutureTask;

/** What the tests of workloads with a peer thread (condvar, wakeup) share. */
public final class WorkloadTestRuns {

  private WorkloadTestRuns() {}

  /** A run of {@code workload} with a 100 ms warm-up and the given window. */
  public static Run run(String id, dev.kvmmp.proto.v1.Workload workload, Duration window) {
    return Run.newBuilder().setId(id).setWorkload(workload)
        .setWarmup(Durations.fromMillis(100))
        .setDuration(Durations.fromNanos(window.toNanos()))
        .build();
  }

  /** A workload running on a thread of its own, and its outcome to come. */
  public record Started(Thread thread, FutureTask<Outcome> outcome) {}

  /** Runs the workload on a thread of its own, so that interrupting it spares the test's. */
  public static Started startInThread(Workload workload, RunContext context) {
    FutureTask<Outcome> outcome = new FutureTask<>(() -> workload.run(context));
    Thread thread = new Thread(outcome, workload.kind() + "-test-run-" + context.run().getId());
    thread.setDaemon(true);
    thread.start();
    return new Started(thread, outcome);
  }

  /** Live threads with that name: a peer thread that outlived its run shows up here. */
  public static List<Thread> liveThreadsNamed(String name) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals(name) && t.isAlive())
        .toList();
  }
}

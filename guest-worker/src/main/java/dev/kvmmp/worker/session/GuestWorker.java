package dev.kvmmp.worker.session;

import dev.kvmmp.proto.v1.GuestFacts;
import dev.kvmmp.worker.knobs.GuestKnobs;
import dev.kvmmp.worker.workload.Workload;
import io.grpc.Channel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A guest-worker: keeps a session with the coordinator open, reconnecting with backoff when it
 * breaks, until closed. Runs execute on one dedicated thread, so a run never shares the worker
 * with another; a run and its result belong to the worker, not to one session, so that neither
 * is lost when a stream breaks.
 */
public final class GuestWorker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(GuestWorker.class);
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
  /**
   * How long closing waits for the run in hand to stop and put its knobs back. Well under the
   * 10 s a local worker's parent gives it between SIGTERM and SIGKILL.
   */
  static final Duration RUN_STOP_WAIT = Duration.ofSeconds(5);

  private final Channel channel;
  private final String workerId;
  private final Supplier<GuestFacts> facts;
  private final Set<String> workloads;
  private final ExecutorService runner = Executors.newSingleThreadExecutor(
      r -> daemon(r, "kvmmp-run"));
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
      r -> daemon(r, "kvmmp-heartbeat"));
  private final WorkerRuns runs;
  private volatile boolean closed;
  private volatile WorkerSession session;

  public GuestWorker(Channel channel, String workerId, Supplier<GuestFacts> facts,
      List<Workload> workloads, GuestKnobs knobs) {
    this(channel, workerId, facts, byKind(workloads).keySet(),
        timer -> new RunExecutor(byKind(workloads), facts, timer, Path.of("/proc"), knobs,
            RunExecutor.DEFAULT_GRACE, true),
        WindowGate.WAIT);
  }

  /**
   * @param workloads the kinds {@code executor} runs
   * @param executor the run executor, given the worker's timer
   * @param bracketWait longest wait for each WindowGo of a bracketed run
   */
  GuestWorker(Channel channel, String workerId, Supplier<GuestFacts> facts,
      Set<String> workloads, Function<ScheduledExecutorService, RunExecutor> executor,
      Duration bracketWait) {
    this.channel = channel;
    this.workerId = workerId;
    this.facts = facts;
    this.workloads = Set.copyOf(workloads);
    this.runs = new WorkerRuns(executor.apply(ticker), runner, bracketWait);
  }

  /** Serves the coordinator until {@link #close()}. */
  public void run() throws InterruptedException {
    Duration backoff = FIRST_BACKOFF;
    while (!closed) {
      long started = System.nanoTime();
      session = new WorkerSession(channel, workerId, facts.get(), workloads, runs, ticker);
      if (closed) {
        // close() ran while this session was being opened, and so could not close it.
        session.close();
      }
      String why = session.awaitEnd();
      if (closed) {
        break;
      }
      if (Duration.ofNanos(System.nanoTime() - started).compareTo(MAX_BACKOFF) > 0) {
        backoff = FIRST_BACKOFF;
      }
      log.warn("{}; reconnecting in {} ms", why, backoff.toMillis());
      Thread.sleep(backoff.toMillis());
      backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
          ? MAX_BACKOFF : backoff.multipliedBy(2);
    }
  }

  /**
   * Stops the run in hand and waits (up to {@link #RUN_STOP_WAIT}) until it has put back the
   * knobs it set: closing is what a SIGTERM's shutdown hook does, and the JVM halts as soon as
   * the hook returns, run thread or not. A run that outlives the wait leaves its knobs in the
   * journal, for the next worker on the same state directory to put back.
   */
  @Override
  public void close() {
    closed = true;
    runs.close();
    WorkerSession current = session;
    if (current != null) {
      current.close();
    }
    runner.shutdownNow();
    try {
      if (!runner.awaitTermination(RUN_STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("the run in hand did not stop within {} ms; knobs it set are in the journal",
            RUN_STOP_WAIT.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ticker.shutdownNow();
  }

  private static Map<String, Workload> byKind(List<Workload> workloads) {
    return workloads.stream()
        .collect(Collectors.toUnmodifiableMap(Workload::kind, Function.identity()));
  }

  private static Thread daemon(Runnable r, String name) {
    Thread thread = new Thread(r, name);
    thread.setDaemon(true);
    return thread;
  }
}

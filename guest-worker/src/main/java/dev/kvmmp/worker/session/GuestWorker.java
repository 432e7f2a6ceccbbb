package dev.kvmmp.worker.session;

import dev.kvmmp.proto.v1.GuestFacts;
import dev.kvmmp.worker.knobs.GuestKnobs;
import dev.kvmmp.worker.workload.Workload;
import io.grpc.Channel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A guest-worker: keeps a session with the coordinator open, reconnecting with backoff when it
 * breaks, until closed. Runs execute on one dedicated thread, so a run never shares the worker
 * with another.
 */
public final class GuestWorker implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(GuestWorker.class);
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

  private final Channel channel;
  private final String workerId;
  private final Supplier<GuestFacts> facts;
  private final Map<String, Workload> workloads;
  private final GuestKnobs knobs;
  private final ExecutorService runner = Executors.newSingleThreadExecutor(
      r -> daemon(r, "kvmmp-run"));
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
      r -> daemon(r, "kvmmp-heartbeat"));
  private volatile boolean closed;
  private volatile WorkerSession session;

  public GuestWorker(Channel channel, String workerId, Supplier<GuestFacts> facts,
      List<Workload> workloads, GuestKnobs knobs) {
    this.channel = channel;
    this.workerId = workerId;
    this.facts = facts;
    this.workloads = workloads.stream()
        .collect(Collectors.toUnmodifiableMap(Workload::kind, Function.identity()));
    this.knobs = knobs;
  }

  /** Serves the coordinator until {@link #close()}. */
  public void run() throws InterruptedException {
    Duration backoff = FIRST_BACKOFF;
    while (!closed) {
      long started = System.nanoTime();
      session = new WorkerSession(channel, workerId, facts, workloads, knobs, runner,
          ticker);
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

  @Override
  public void close() {
    closed = true;
    WorkerSession current = session;
    if (current != null) {
      current.close();
    }
    runner.shutdownNow();
    ticker.shutdownNow();
  }

  private static Thread daemon(Runnable r, String name) {
    Thread thread = new Thread(r, name);
    thread.setDaemon(true);
    return thread;
  }
}

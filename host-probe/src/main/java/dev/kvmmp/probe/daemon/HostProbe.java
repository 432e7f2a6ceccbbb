package dev.kvmmp.probe.daemon;

import dev.kvmmp.probe.hostrun.HostRuns;
import dev.kvmmp.proto.v1.HostFacts;
import io.grpc.Channel;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the probe's session with the coordinator open, reconnecting with backoff when it
 * breaks, until closed.
 *
 * <p>Host knobs live as long as the session that set them: when it ends, they are put back. The
 * coordinator fails a disconnected probe's requests and with them the run that wanted the
 * knobs, and a restarted coordinator knows nothing of knobs an earlier one set; so a host is
 * left as it was, not as a forgotten run wanted it.
 */
public final class HostProbe implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(HostProbe.class);
  static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
  private static final long RESTORE_TIMEOUT_SECONDS = 30;

  private final Channel channel;
  private final Supplier<HostFacts> facts;
  private final SamplingLoop sampling;
  private final KnobCommands knobs;
  private final ProbeCommands commands;
  private final HostRuns hostRuns;
  private final ProbeMetrics metrics;
  private final Duration heartbeat;
  private final ExecutorService commandThread = Executors.newSingleThreadExecutor(
      r -> daemon(r, "kvmmp-probe-commands"));
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
      r -> daemon(r, "kvmmp-probe-heartbeat"));
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean closed;
  private volatile ProbeSession session;

  HostProbe(Channel channel, Supplier<HostFacts> facts, SamplingLoop sampling,
      KnobCommands knobs, ProbeMetrics metrics, Duration heartbeat, HostRuns hostRuns) {
    this.channel = channel;
    this.hostRuns = hostRuns;
    this.facts = facts;
    this.sampling = sampling;
    this.knobs = knobs;
    this.commands = new ProbeCommands(knobs, sampling);
    this.metrics = metrics;
    this.heartbeat = heartbeat;
    sampling.onVmsChanged(vms -> {
      synchronized (this) {
        ProbeSession current = session;
        if (current != null) {
          current.vmsChanged(vms);
        }
      }
    });
  }

  /** Serves the coordinator until {@link #close()}. */
  public void run() throws InterruptedException {
    Duration backoff = FIRST_BACKOFF;
    while (!closed) {
      long started = System.nanoTime();
      ProbeSession current;
      // With the sampler's VM listener: a change comes either in the register or after it.
      synchronized (this) {
        current = new ProbeSession(channel, facts.get(), sampling.vms(), commands,
            hostRuns, commandThread, ticker, heartbeat);
        session = current;
      }
      metrics.connection(!current.hasEnded());
      String why = current.awaitEnd();
      metrics.connection(false);
      putBackKnobs("session with the coordinator ended (" + why + ")");
      if (closed) {
        break;
      }
      if (Duration.ofNanos(System.nanoTime() - started).compareTo(MAX_BACKOFF) > 0) {
        backoff = FIRST_BACKOFF;
      }
      log.warn("{}; reconnecting in {} ms", why, backoff.toMillis());
      stopped.await(backoff.toMillis(), TimeUnit.MILLISECONDS);
      backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
          ? MAX_BACKOFF : backoff.multipliedBy(2);
    }
  }

  /** Behind any request still being answered, so that nothing sets knobs after the restore. */
  private void putBackKnobs(String why) throws InterruptedException {
    try {
      commandThread.submit(() -> knobs.restoreQuietly(why))
          .get(RESTORE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (RejectedExecutionException e) {
      // Closing: close() puts them back itself.
    } catch (ExecutionException | TimeoutException e) {
      log.error("{}: putting host knobs back did not finish within {} s ({}); the probe "
          + "restores them on shutdown", why, RESTORE_TIMEOUT_SECONDS, e.toString());
    }
  }

  /** Ends the session, lets a request under way finish, and puts the knobs back. */
  @Override
  public void close() throws InterruptedException {
    closed = true;
    stopped.countDown();
    ProbeSession current = session;
    if (current != null) {
      current.close();
    }
    ticker.shutdownNow();
    hostRuns.close();
    commandThread.shutdown();
    if (!commandThread.awaitTermination(RESTORE_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      log.warn("a coordinator request still under way after {} s; putting knobs back anyway",
          RESTORE_TIMEOUT_SECONDS);
    }
    knobs.restoreQuietly("probe shutting down");
  }

  private static Thread daemon(Runnable r, String name) {
    Thread thread = new Thread(r, name);
    thread.setDaemon(true);
    return thread;
  }
}

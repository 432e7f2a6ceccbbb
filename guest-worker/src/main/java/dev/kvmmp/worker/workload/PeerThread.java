package dev.kvmmp.worker.workload;

import dev.kvmmp.worker.placement.PinnedThread;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * The side of a workload that answers (a tcp_rr server, a condvar partner, a wakeup signaller),
 * run on a thread of its own, placed as the plan says, while the calling thread measures against
 * it. Makes sure that the peer never outlives the run and that its failure is the one reported.
 */
public final class PeerThread {

  /** The peer's work: serves until the exchange closes, then returns. */
  @FunctionalInterface
  public interface Serving {

    void serve() throws IOException;
  }

  /** The measuring side, run on the calling thread while the peer serves. */
  @FunctionalInterface
  public interface Measuring<T> {

    T measure() throws IOException, WorkloadException;
  }

  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

  private final String role;
  private final Supplier<PinnedThread> pin;
  private final IntConsumer started;
  private final Runnable closeExchange;
  private final Serving serving;
  private final Duration stopTimeout;
  private final Thread thread;
  private volatile IOException failure;
  private volatile boolean stayedPinned;

  private PeerThread(String name, String role, Supplier<PinnedThread> pin, IntConsumer started,
      Runnable closeExchange, Serving serving, Duration stopTimeout) {
    this.role = role;
    this.pin = pin;
    this.started = started;
    this.closeExchange = closeExchange;
    this.serving = serving;
    this.stopTimeout = stopTimeout;
    this.thread = new Thread(this::run, name);
    // Daemon, so that a peer stuck past its stop timeout cannot keep the worker's JVM alive.
    thread.setDaemon(true);
  }

  /**
   * Starts {@code serving} on a thread named {@code <kind>-<role>-<run id>}, placed as the plan's
   * server side, its id reported to the run's tasks.
   *
   * @param closeExchange ends the exchange from either side, idempotent: the peer calls it when
   *     it stops, so that the measuring side never waits for a peer that is gone
   */
  public static PeerThread start(RunContext context, String kind, String role,
      Runnable closeExchange, Serving serving) {
    return start(kind + "-" + role + "-" + context.run().getId(), role,
        context.placement()::pinServer, context.tasks()::involve, closeExchange, serving,
        STOP_TIMEOUT);
  }

  /**
   * @param pin places the peer's thread; called on it
   * @param started told the peer thread's id once it is placed
   */
  static PeerThread start(String name, String role, Supplier<PinnedThread> pin,
      IntConsumer started, Runnable closeExchange, Serving serving, Duration stopTimeout) {
    PeerThread peer = new PeerThread(name, role, pin, started, closeExchange, serving,
        stopTimeout);
    peer.thread.start();
    return peer;
  }

  /**
   * Runs {@code client} on the calling thread, then closes the exchange and waits for the peer,
   * also when the client failed, was cancelled or interrupted.
   *
   * @param what the run, as the messages name it ("wakeup", "condvar (park)")
   * @throws IOException the peer's failure, also in place of the client's (the client only sees
   *     that the peer went away; the peer knows why)
   * @throws WorkloadException when the client's loop throws one, or the peer does not stop
   */
  public <T> T measureAgainst(Measuring<T> client, String what)
      throws IOException, WorkloadException {
    T result;
    try {
      result = client.measure();
    } catch (IOException e) {
      IOException peerFailure = failure;
      throw peerFailure != null ? peerFailure : e;
    } finally {
      // Closing wakes the peer wherever it waits, so it returns.
      closeExchange.run();
      awaitExit();
    }
    if (thread.isAlive()) {
      throw new WorkloadException(what + ": the " + role + " thread did not stop within "
          + stopTimeout.toSeconds() + " s");
    }
    IOException peerFailure = failure;
    if (peerFailure != null) {
      throw peerFailure;
    }
    return result;
  }

  /** Whether the peer's thread was still on its vCPU when the exchange closed. */
  public boolean stayedPinned() {
    return stayedPinned;
  }

  private void run() {
    try (PinnedThread pinned = pin.get()) {
      started.accept(pinned.tid());
      serving.serve();
      stayedPinned = pinned.stillPinned();
    } catch (IOException e) {
      failure = e;
    } catch (RuntimeException e) {
      failure = new IOException(role + " thread failed: " + e.getMessage(), e);
    } finally {
      closeExchange.run();
    }
  }

  /**
   * Waits up to the stop timeout for the peer to end, also when this thread is interrupted (a
   * run stopped at its deadline must still not leave its peer behind). Keeps the interrupt.
   */
  private void awaitExit() {
    boolean interrupted = Thread.interrupted();
    long deadline = System.nanoTime() + stopTimeout.toNanos();
    try {
      for (long left = stopTimeout.toNanos(); thread.isAlive() && left > 0;
          left = deadline - System.nanoTime()) {
        try {
          TimeUnit.NANOSECONDS.timedJoin(thread, left);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}

package dev.kvmmp.cli.local;

import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code kvmmp local} has started, in order: each start is announced and timed, and
 * {@link #close()} stops the parts in reverse order (probe, workers, coordinator, broker), so
 * that nothing loses what it depends on while it stops.
 */
public final class LocalParts implements AutoCloseable {

  /** Starts one part. */
  @FunctionalInterface
  public interface Starter<T> {
    T start() throws LocalStartException, InterruptedException;
  }

  private record Part(String name, AutoCloseable part) {}

  private static final Logger log = LoggerFactory.getLogger(LocalParts.class);

  private final PrintWriter out;
  private final Deque<Part> started = new ArrayDeque<>();
  private boolean closed;

  public LocalParts(PrintWriter out) {
    this.out = out;
  }

  /**
   * Prints "starting {@code starting}...", starts the part, remembers it as {@code name} to stop
   * it, and prints what {@code describe} says of it with the time the start took.
   */
  public <T extends AutoCloseable> T start(String name, String starting, Starter<T> starter,
      Function<T, String> describe) throws LocalStartException, InterruptedException {
    line("starting " + starting + "...");
    long begin = System.nanoTime();
    T part = starter.start();
    synchronized (this) {
      if (closed) {
        // Ctrl-C stopped everything while this part started: stop it too, and start no more.
        closeQuietly(name, part);
        throw new LocalStartException("stopped while starting " + name);
      }
      started.push(new Part(name, part));
    }
    line(String.format(Locale.ROOT, "%s (%.1f s)", describe.apply(part),
        (System.nanoTime() - begin) / 1e9));
    return part;
  }

  /** Prints one progress line, prefixed like every line of {@code kvmmp local}. */
  public void line(String text) {
    out.println("kvmmp local: " + text);
    out.flush();
  }

  /**
   * Stops every part, the last started first; a part that fails to stop is logged and the
   * others are still stopped. Safe to call twice (from the shutdown hook and the command).
   */
  @Override
  public synchronized void close() {
    closed = true;
    if (started.isEmpty()) {
      return;
    }
    long begin = System.nanoTime();
    StringBuilder stopped = new StringBuilder();
    while (!started.isEmpty()) {
      Part part = started.pop();
      closeQuietly(part.name(), part.part());
      stopped.append(stopped.length() == 0 ? "" : ", ").append(part.name());
    }
    line(String.format(Locale.ROOT, "stopped %s (%.1f s)", stopped,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin) / 1e3));
  }

  /** Stops one part; a failure is logged, so that the others are still stopped. */
  private static void closeQuietly(String name, AutoCloseable part) {
    try {
      part.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      log.warn("interrupted while stopping {}; stopping the rest anyway", name);
    } catch (Exception e) {
      log.warn("stopping {} failed: {}", name, e.toString());
    }
  }
}

package dev.kvmmp.worker.workload.condvar;

import dev.kvmmp.worker.placement.PinnedThread;
import java.io.IOException;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * The partner side of a condvar run, on a thread of its own: hands the token back until the
 * exchange closes. If it fails it closes the exchange itself, so that the client is never left
 * waiting for a partner that is gone.
 */
final class CondvarPartner implements Runnable {

  private final TokenPassing tokens;
  private final Supplier<PinnedThread> pin;
  private final IntConsumer started;
  private volatile IOException failure;
  private volatile boolean stayedPinned;

  /**
   * @param pin places the partner's thread; called on it
   * @param started told the partner thread's id once it is placed
   */
  CondvarPartner(TokenPassing tokens, Supplier<PinnedThread> pin, IntConsumer started) {
    this.tokens = tokens;
    this.pin = pin;
    this.started = started;
  }

  /** Why the partner stopped early, or null when it stopped because the exchange closed. */
  IOException failure() {
    return failure;
  }

  /** Whether the partner's thread was still on its vCPU when the exchange closed. */
  boolean stayedPinned() {
    return stayedPinned;
  }

  @Override
  public void run() {
    try (PinnedThread pinned = pin.get()) {
      started.accept(pinned.tid());
      while (tokens.passBack()) {
        // Each pass is the whole job; the loop ends when the exchange closes.
      }
      stayedPinned = pinned.stillPinned();
    } catch (IOException e) {
      failure = e;
    } catch (RuntimeException e) {
      failure = new IOException("partner thread failed: " + e.getMessage(), e);
    } finally {
      tokens.close();
    }
  }
}

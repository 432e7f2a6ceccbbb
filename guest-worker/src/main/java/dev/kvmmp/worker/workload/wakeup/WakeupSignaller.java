package dev.kvmmp.worker.workload.wakeup;

import dev.kvmmp.worker.placement.PinnedThread;
import java.io.IOException;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * The signalling side of a wakeup run, on a thread of its own: for each wake-up, waits until
 * the waiter is parking, lets a delay pass and wakes it. If it fails it closes the handshake
 * itself, so that the waiter is never left parked for a signaller that is gone.
 */
final class WakeupSignaller implements Runnable {

  private final WakeupHandshake handshake;
  private final DelaySchedule delays;
  private final Supplier<PinnedThread> pin;
  private final IntConsumer started;
  private volatile IOException failure;
  private volatile boolean stayedPinned;

  /**
   * @param pin places the signaller's thread; called on it
   * @param started told the signaller thread's id once it is placed
   */
  WakeupSignaller(WakeupHandshake handshake, DelaySchedule delays, Supplier<PinnedThread> pin,
      IntConsumer started) {
    this.handshake = handshake;
    this.delays = delays;
    this.pin = pin;
    this.started = started;
  }

  /** Why the signaller stopped early, or null when it stopped because the handshake closed. */
  IOException failure() {
    return failure;
  }

  /** Whether the signaller's thread was still on its vCPU when the handshake closed. */
  boolean stayedPinned() {
    return stayedPinned;
  }

  @Override
  public void run() {
    try (PinnedThread pinned = pin.get()) {
      started.accept(pinned.tid());
      // The delay after the waiter is seen parking gives its vCPU time to go idle (halt), so
      // that each wake-up is the expensive kind this workload measures.
      while (handshake.awaitWaiter() && handshake.pause(delays.nextNanos())) {
        handshake.wake();
      }
      stayedPinned = pinned.stillPinned();
    } catch (IOException e) {
      failure = e;
    } catch (RuntimeException e) {
      failure = new IOException("signaller thread failed: " + e.getMessage(), e);
    } finally {
      handshake.close();
    }
  }
}

package dev.kvmmp.worker.workload.wakeup;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.locks.LockSupport;

/**
 * What the waiter and the signaller share. Wake-up n: the waiter publishes n and parks (a futex
 * wait); the signaller sees n, lets the waiter's vCPU go idle, stamps the time and unparks it;
 * the waiter stamps the time when park returns for n. Sequence numbers, not flags, so that a
 * spurious return from park is never taken for the wake-up.
 */
final class WakeupHandshake {

  /**
   * Spins before the signaller starts yielding while it waits for the waiter: on one vCPU the
   * waiter cannot publish until the spinner lets it run.
   */
  private static final int SPINS_BEFORE_YIELD = 100;

  /** The wake-up the waiter is about to park for. */
  private volatile long waiting;
  /** The last wake-up the signaller sent. */
  private volatile long signalled;
  /** When the signaller sent it (System.nanoTime). Written before {@link #signalled}. */
  private volatile long signalNanos;
  private volatile boolean closed;
  // Each side registers before it first reads the state that close() changes; close() writes
  // `closed` first and then reads these, so one of the two always sees the other's write.
  private volatile Thread waiter;
  private volatile Thread signaller;

  // Owned by one side each: no sharing, no fences.
  private long waiterSequence;
  private long signallerSequence;

  /**
   * On the waiter: parks until the next wake-up and returns its latency in ns, from the
   * signaller's stamp to this thread's.
   *
   * @throws InterruptedIOException when interrupted while parked; the interrupt is kept
   * @throws IOException when the handshake closed while it waits (the signaller stopped)
   */
  long awaitWakeup() throws IOException {
    if (waiter == null) {
      waiter = Thread.currentThread();
    }
    long n = ++waiterSequence;
    waiting = n;
    while (signalled != n) {
      if (closed) {
        throw new IOException("the wakeup signaller stopped");
      }
      LockSupport.park(this);
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedIOException("interrupted while waiting for wake-up " + n);
      }
    }
    return System.nanoTime() - signalNanos;
  }

  /**
   * On the signaller: spins until the waiter has published its next wake-up, that is, is about
   * to park.
   *
   * @return false when the handshake closed first
   */
  boolean awaitWaiter() throws InterruptedIOException {
    if (signaller == null) {
      signaller = Thread.currentThread();
    }
    long n = signallerSequence + 1;
    for (int spins = 0; waiting != n; spins++) {
      if (closed) {
        return false;
      }
      checkNotInterrupted();
      if (spins < SPINS_BEFORE_YIELD) {
        Thread.onSpinWait();
      } else {
        Thread.yield();
      }
    }
    return true;
  }

  /**
   * On the signaller: sleeps {@code nanos} in the kernel (parkNanos), however often park returns
   * early.
   *
   * @return false when the handshake closed first
   */
  boolean pause(long nanos) throws InterruptedIOException {
    long until = System.nanoTime() + nanos;
    for (long left = nanos; left > 0; left = until - System.nanoTime()) {
      if (closed) {
        return false;
      }
      LockSupport.parkNanos(this, left);
      checkNotInterrupted();
    }
    return true;
  }

  /** On the signaller: stamps the time and wakes the waiter for the wake-up it awaits. */
  void wake() {
    signalNanos = System.nanoTime();
    signalled = ++signallerSequence;
    LockSupport.unpark(waiter);
  }

  /** Ends the handshake from any thread, waking both sides wherever they wait. Idempotent. */
  void close() {
    closed = true;
    LockSupport.unpark(waiter);
    LockSupport.unpark(signaller);
  }

  private static void checkNotInterrupted() throws InterruptedIOException {
    if (Thread.currentThread().isInterrupted()) {
      throw new InterruptedIOException("wakeup signaller interrupted");
    }
  }
}

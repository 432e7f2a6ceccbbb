package dev.kvmmp.worker.workload.condvar;

import java.io.IOException;
import java.io.InterruptedIOException;

/**
 * A Java monitor: synchronized with wait/notify. As with {@link ConditionTokens}, one monitor
 * serves both sides because the notifier is never the one waiting.
 */
final class MonitorTokens implements TokenPassing {

  private static final int CLIENT = 0;
  private static final int PARTNER = 1;

  // A private object, so that nothing outside can take the monitor or steal a notify.
  private final Object monitor = new Object();
  private int turn = CLIENT; // guarded by monitor
  private boolean closed; // guarded by monitor

  @Override
  public void pass() throws IOException {
    synchronized (monitor) {
      turn = PARTNER;
      monitor.notify();
      if (!awaitTurn(CLIENT)) {
        throw new IOException("the condvar partner stopped");
      }
    }
  }

  @Override
  public boolean passBack() throws IOException {
    synchronized (monitor) {
      if (!awaitTurn(PARTNER)) {
        return false;
      }
      turn = CLIENT;
      monitor.notify();
      return true;
    }
  }

  /** Called holding the monitor. @return false when closed before the turn came */
  private boolean awaitTurn(int side) throws InterruptedIOException {
    while (turn != side) {
      if (closed) {
        return false;
      }
      try {
        monitor.wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for the token (monitor)");
      }
    }
    return true;
  }

  @Override
  public void close() {
    synchronized (monitor) {
      closed = true;
      monitor.notifyAll();
    }
  }
}

package dev.kvmmp.worker.workload.condvar;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A ReentrantLock with one Condition. One condition serves both sides: whoever signals holds the
 * lock and is not waiting, so the only possible waiter is the other side. (AQS allocates a small
 * node per await: that is part of what this primitive costs.)
 */
final class ConditionTokens implements TokenPassing {

  private static final int CLIENT = 0;
  private static final int PARTNER = 1;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition turnChanged = lock.newCondition();
  private int turn = CLIENT; // guarded by lock
  private boolean closed; // guarded by lock

  @Override
  public void pass() throws IOException {
    lock.lock();
    try {
      turn = PARTNER;
      turnChanged.signal();
      if (!awaitTurn(CLIENT)) {
        throw new IOException("the condvar partner stopped");
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public boolean passBack() throws IOException {
    lock.lock();
    try {
      if (!awaitTurn(PARTNER)) {
        return false;
      }
      turn = CLIENT;
      turnChanged.signal();
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Called with the lock held. @return false when closed before the turn came */
  private boolean awaitTurn(int side) throws InterruptedIOException {
    while (turn != side) {
      if (closed) {
        return false;
      }
      try {
        turnChanged.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("interrupted while waiting for the token (condition)");
      }
    }
    return true;
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      turnChanged.signalAll();
    } finally {
      lock.unlock();
    }
  }
}

package dev.kvmmp.worker.workload.condvar;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.locks.LockSupport;

/**
 * LockSupport.park/unpark on a volatile turn: the futex underneath java.util.concurrent, with
 * nothing on top. Park may return for no reason, so each side loops on the turn.
 */
final class ParkTokens implements TokenPassing {

  private static final int CLIENT = 0;
  private static final int PARTNER = 1;

  private volatile int turn = CLIENT;
  private volatile boolean closed;
  // Each side registers itself before it first reads the turn, and the other reads the thread
  // after writing the turn: volatile accesses are totally ordered, so either the unpark finds
  // the thread or the thread finds the turn already changed and does not park.
  private volatile Thread client;
  private volatile Thread partner;

  @Override
  public void pass() throws IOException {
    if (client == null) {
      client = Thread.currentThread();
    }
    turn = PARTNER;
    LockSupport.unpark(partner);
    if (!awaitTurn(CLIENT)) {
      throw new IOException("the condvar partner stopped");
    }
  }

  @Override
  public boolean passBack() throws IOException {
    if (partner == null) {
      partner = Thread.currentThread();
    }
    if (!awaitTurn(PARTNER)) {
      return false;
    }
    turn = CLIENT;
    LockSupport.unpark(client);
    return true;
  }

  /** @return false when closed before the turn came */
  private boolean awaitTurn(int side) throws InterruptedIOException {
    while (turn != side) {
      if (closed) {
        return false;
      }
      LockSupport.park(this);
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedIOException("interrupted while waiting for the token (park)");
      }
    }
    return true;
  }

  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(client);
    LockSupport.unpark(partner);
  }
}

package dev.kvmmp.worker.workload.condvar;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.Pipe;

/**
 * Two kernel pipes, one byte each way: the analogue of an OS event object, where every hand-over
 * is a write(2) and every wait a read(2). On Linux the JDK backs {@link Pipe} with pipe(2). The
 * channels are interruptible: an interrupt closes the channel its thread waits on.
 */
final class PipeTokens implements TokenPassing {

  private final Pipe toPartner;
  private final Pipe toClient;
  // Direct, so that a read or write goes to the kernel without a temporary copy.
  private final ByteBuffer clientByte = ByteBuffer.allocateDirect(1);
  private final ByteBuffer partnerByte = ByteBuffer.allocateDirect(1);
  private volatile boolean closed;

  private PipeTokens(Pipe toPartner, Pipe toClient) {
    this.toPartner = toPartner;
    this.toClient = toClient;
  }

  static PipeTokens open() throws IOException {
    Pipe toPartner = Pipe.open();
    try {
      return new PipeTokens(toPartner, Pipe.open());
    } catch (IOException e) {
      closeQuietly(toPartner.sink());
      closeQuietly(toPartner.source());
      throw e;
    }
  }

  @Override
  public void pass() throws IOException {
    try {
      transfer(clientByte, toPartner);
      clientByte.clear();
      if (toClient.source().read(clientByte) < 0) {
        throw new EOFException("the condvar partner stopped (its pipe closed)");
      }
    } catch (ClosedByInterruptException e) {
      InterruptedIOException interrupted =
          new InterruptedIOException("interrupted while waiting for the token (pipe)");
      interrupted.initCause(e);
      throw interrupted;
    } catch (IOException e) {
      if (closed) {
        throw new IOException("the condvar partner stopped", e);
      }
      throw e;
    }
  }

  @Override
  public boolean passBack() throws IOException {
    try {
      partnerByte.clear();
      if (toPartner.source().read(partnerByte) < 0) {
        if (clientGone()) {
          return false;
        }
        throw new EOFException("the condvar client's pipe closed");
      }
      transfer(partnerByte, toClient);
      return true;
    } catch (IOException e) {
      // Closing wakes a blocked read with EOF or an AsynchronousCloseException: the partner was
      // told to stop, it did not fail.
      if (clientGone()) {
        return false;
      }
      throw e;
    }
  }

  /**
   * Whether the exchange closed, or an interrupt of the client closed one of the client's ends:
   * either way the client has stopped, and the failure to report is the client's.
   */
  private boolean clientGone() {
    return closed || !toPartner.sink().isOpen() || !toClient.source().isOpen();
  }

  /** A pipe holds 64 KiB and at most one byte is in flight, so the write never blocks. */
  private static void transfer(ByteBuffer oneByte, Pipe pipe) throws IOException {
    oneByte.clear();
    while (oneByte.hasRemaining()) {
      pipe.sink().write(oneByte);
    }
  }

  /** Closes the write ends first, so that a reader blocked in read(2) sees end-of-file. */
  @Override
  public void close() {
    closed = true;
    closeQuietly(toPartner.sink());
    closeQuietly(toClient.sink());
    closeQuietly(toPartner.source());
    closeQuietly(toClient.source());
  }

  private static void closeQuietly(Channel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // Closing a pipe end cannot fail in a way that matters here: the run is over.
    }
  }
}

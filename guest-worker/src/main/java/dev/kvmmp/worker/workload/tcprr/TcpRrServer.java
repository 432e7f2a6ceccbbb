package dev.kvmmp.worker.workload.tcprr;

import dev.kvmmp.worker.placement.PinnedThread;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * Accepts one connection and answers every request with a response until the client closes.
 * Runs pinned as its placement asks, in a thread of the worker or in a process of its own.
 */
final class TcpRrServer implements Runnable {

  private final ServerSocketChannel listener;
  private final ByteBuffer request;
  private final ByteBuffer response;
  private final Supplier<PinnedThread> pin;
  private final IntConsumer started;
  private volatile IOException failure;
  private volatile boolean stayedPinned;

  /**
   * @param pin places the serving thread; called on it
   * @param started told the serving thread's id once it is placed
   */
  TcpRrServer(ServerSocketChannel listener, int requestBytes, int responseBytes,
      Supplier<PinnedThread> pin, IntConsumer started) {
    this.listener = listener;
    this.request = ByteBuffer.allocateDirect(requestBytes);
    this.response = ByteBuffer.allocateDirect(responseBytes);
    this.pin = pin;
    this.started = started;
  }

  /** Why the server stopped early, or null when it ended because the client closed. */
  IOException failure() {
    return failure;
  }

  /** Whether the serving thread was still on its vCPU when the client closed. */
  boolean stayedPinned() {
    return stayedPinned;
  }

  @Override
  public void run() {
    try (PinnedThread pinned = pin.get(); SocketChannel channel = listener.accept()) {
      started.accept(pinned.tid());
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      while (readRequest(channel)) {
        response.clear();
        while (response.hasRemaining()) {
          channel.write(response);
        }
      }
      stayedPinned = pinned.stillPinned();
    } catch (IOException e) {
      failure = e;
    } catch (IllegalStateException e) {
      failure = new IOException("cannot place the server: " + e.getMessage(), e);
    }
  }

  /** @return false at a clean end of stream between requests */
  private boolean readRequest(SocketChannel channel) throws IOException {
    request.clear();
    while (request.hasRemaining()) {
      if (channel.read(request) < 0) {
        if (request.position() == 0) {
          return false;
        }
        throw new IOException("the client closed the connection mid-request");
      }
    }
    return true;
  }
}

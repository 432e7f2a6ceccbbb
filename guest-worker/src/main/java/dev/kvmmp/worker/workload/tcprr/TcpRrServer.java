package dev.kvmmp.worker.workload.tcprr;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** Accepts one connection and answers every request with a response until the client closes. */
final class TcpRrServer implements Runnable {

  private final ServerSocketChannel listener;
  private final ByteBuffer request;
  private final ByteBuffer response;
  private volatile IOException failure;

  TcpRrServer(ServerSocketChannel listener, int requestBytes, int responseBytes) {
    this.listener = listener;
    this.request = ByteBuffer.allocateDirect(requestBytes);
    this.response = ByteBuffer.allocateDirect(responseBytes);
  }

  /** Why the server stopped early, or null when it ended because the client closed. */
  IOException failure() {
    return failure;
  }

  @Override
  public void run() {
    try (SocketChannel channel = listener.accept()) {
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      while (readRequest(channel)) {
        response.clear();
        while (response.hasRemaining()) {
          channel.write(response);
        }
      }
    } catch (IOException e) {
      failure = e;
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

package dev.kvmmp.worker.workload.tcprr;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * Accepts one connection and answers every request with a response until the client closes.
 * Placing it is up to its caller: a thread of the worker or a process of its own.
 */
final class TcpRrServer {

  private final ServerSocketChannel listener;
  private final ByteBuffer request;
  private final ByteBuffer response;

  TcpRrServer(ServerSocketChannel listener, int requestBytes, int responseBytes) {
    this.listener = listener;
    this.request = ByteBuffer.allocateDirect(requestBytes);
    this.response = ByteBuffer.allocateDirect(responseBytes);
  }

  /** Serves one connection; returns when the client closes it between requests. */
  void serve() throws IOException {
    try (SocketChannel channel = listener.accept()) {
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
      while (readRequest(channel)) {
        response.clear();
        while (response.hasRemaining()) {
          channel.write(response);
        }
      }
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

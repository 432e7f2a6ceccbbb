package dev.kvmmp.worker.workload.tcprr;

import dev.kvmmp.worker.workload.RoundTrip;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** The client side of one TCP_RR transaction: send the request, read the whole response. */
final class TcpRrClient implements RoundTrip {

  private final SocketChannel channel;
  private final ByteBuffer request;
  private final ByteBuffer response;

  TcpRrClient(SocketChannel channel, int requestBytes, int responseBytes) {
    this.channel = channel;
    this.request = ByteBuffer.allocateDirect(requestBytes);
    this.response = ByteBuffer.allocateDirect(responseBytes);
  }

  @Override
  public void once() throws IOException {
    request.clear();
    while (request.hasRemaining()) {
      channel.write(request);
    }
    response.clear();
    while (response.hasRemaining()) {
      if (channel.read(response) < 0) {
        throw new EOFException("the tcp_rr server closed the connection mid-response");
      }
    }
  }
}

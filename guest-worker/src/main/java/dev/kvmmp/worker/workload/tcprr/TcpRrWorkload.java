package dev.kvmmp.worker.workload.tcprr;

import dev.kvmmp.proto.v1.TcpRr;
import dev.kvmmp.proto.v1.TcpRrMode;
import dev.kvmmp.worker.placement.PinnedThread;
import dev.kvmmp.worker.placement.PlacementPlan;
import dev.kvmmp.worker.workload.ClosedLoop;
import dev.kvmmp.worker.workload.Outcome;
import dev.kvmmp.worker.workload.PeerThread;
import dev.kvmmp.worker.workload.RunContext;
import dev.kvmmp.worker.workload.Workload;
import dev.kvmmp.worker.workload.WorkloadException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * netperf TCP_RR over loopback: one connection, TCP_NODELAY, an N-byte request answered by an
 * M-byte response, back to back. The server is a thread of this worker, or a process of its own
 * ({@code mode: processes}, netperf's way). The client is the calling thread.
 */
public final class TcpRrWorkload implements Workload {

  private static final Duration SERVER_STOP_TIMEOUT = Duration.ofSeconds(5);

  private record ClientSide(ClosedLoop.Measurement measurement, boolean stayedPinned) {}

  @Override
  public String kind() {
    return "tcp_rr";
  }

  @Override
  public Outcome run(RunContext context) throws WorkloadException {
    TcpRr spec = context.run().getWorkload().getTcpRr();
    int requestBytes = spec.hasRequestBytes() ? spec.getRequestBytes() : 1;
    int responseBytes = spec.hasResponseBytes() ? spec.getResponseBytes() : 1;
    try {
      if (spec.getMode() == TcpRrMode.TCP_RR_MODE_PROCESSES) {
        return againstServerProcess(context, requestBytes, responseBytes);
      }
      return againstServerThread(context, requestBytes, responseBytes);
    } catch (IOException e) {
      throw new WorkloadException("tcp_rr over loopback failed: " + e, e);
    } catch (IllegalStateException e) {
      throw new WorkloadException("tcp_rr: " + e.getMessage(), e);
    }
  }

  private Outcome againstServerThread(RunContext context, int requestBytes, int responseBytes)
      throws IOException, WorkloadException {
    try (ServerSocketChannel listener = ServerSocketChannel.open()) {
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      TcpRrServer server = new TcpRrServer(listener, requestBytes, responseBytes);
      // Normally the client's close ends the exchange: the server reads end-of-stream. Closing
      // the listener covers a server that stops before accepting (it could not be placed): the
      // client, already queued on the listener, is reset instead of waiting forever.
      PeerThread serverThread = PeerThread.start(context, kind(), "server",
          () -> closeQuietly(listener), server::serve);
      ClientSide client = serverThread.measureAgainst(() -> measure(context,
          listener.getLocalAddress(), requestBytes, responseBytes), "tcp_rr");
      return new Outcome(client.measurement(),
          context.placement().check(client.stayedPinned(), serverThread.stayedPinned()));
    }
  }

  private Outcome againstServerProcess(RunContext context, int requestBytes, int responseBytes)
      throws IOException, WorkloadException {
    PlacementPlan plan = context.placement();
    try (TcpRrServerChild server = TcpRrServerChild.start(requestBytes, responseBytes,
        plan.serverCpu().orElse(-1))) {
      context.tasks().involve(server.tid());
      ClientSide client = measure(context, server.address(), requestBytes, responseBytes);
      return new Outcome(client.measurement(),
          plan.check(client.stayedPinned(), server.awaitStayedPinned(SERVER_STOP_TIMEOUT)));
    }
  }

  private static void closeQuietly(ServerSocketChannel listener) {
    try {
      listener.close();
    } catch (IOException e) {
      // Closing a listener that is going away anyway; nothing to do.
    }
  }

  private ClientSide measure(RunContext context, SocketAddress server, int requestBytes,
      int responseBytes) throws IOException, WorkloadException {
    try (PinnedThread pinned = context.placement().pinClient();
        SocketChannel client = SocketChannel.open(server)) {
      context.tasks().involve(pinned.tid());
      client.setOption(StandardSocketOptions.TCP_NODELAY, true);
      ClosedLoop.Measurement measurement = ClosedLoop.run(
          new TcpRrClient(client, requestBytes, responseBytes), context.window(),
          context.control(), context.observer());
      return new ClientSide(measurement, pinned.stillPinned());
    }
  }
}

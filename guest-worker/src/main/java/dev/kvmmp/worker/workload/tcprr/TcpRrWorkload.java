package dev.kvmmp.worker.workload.tcprr;

import com.google.protobuf.util.Durations;
import dev.kvmmp.proto.v1.Placement;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunResult;
import dev.kvmmp.proto.v1.TcpRr;
import dev.kvmmp.proto.v1.TcpRrMode;
import dev.kvmmp.worker.workload.ClosedLoop;
import dev.kvmmp.worker.workload.Measurements;
import dev.kvmmp.worker.workload.RunControl;
import dev.kvmmp.worker.workload.Workload;
import dev.kvmmp.worker.workload.WorkloadException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * netperf TCP_RR over loopback: one connection, TCP_NODELAY, an N-byte request answered by an
 * M-byte response, back to back. Client and server are two threads of this worker.
 */
public final class TcpRrWorkload implements Workload {

  private static final Duration SERVER_STOP_TIMEOUT = Duration.ofSeconds(5);

  @Override
  public String kind() {
    return "tcp_rr";
  }

  @Override
  public RunResult run(Run run, RunControl control) throws WorkloadException {
    TcpRr spec = run.getWorkload().getTcpRr();
    if (spec.getMode() == TcpRrMode.TCP_RR_MODE_PROCESSES) {
      throw new WorkloadException("tcp_rr mode 'processes' is not supported by this worker yet; "
          + "use mode 'threads'");
    }
    Placement placement = run.getWorkload().getPlacement();
    if (placement != Placement.PLACEMENT_UNPINNED && placement != Placement.PLACEMENT_UNSPECIFIED) {
      throw new WorkloadException("placement " + placement + " is not supported by this worker "
          + "yet (thread pinning is not implemented); use placement 'unpinned'");
    }
    int requestBytes = spec.hasRequestBytes() ? spec.getRequestBytes() : 1;
    int responseBytes = spec.hasResponseBytes() ? spec.getResponseBytes() : 1;
    Duration warmup = Duration.ofNanos(Durations.toNanos(run.getWarmup()));
    Duration duration = Duration.ofNanos(Durations.toNanos(run.getDuration()));

    try (ServerSocketChannel listener = ServerSocketChannel.open()) {
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      TcpRrServer server = new TcpRrServer(listener, requestBytes, responseBytes);
      Thread serverThread = new Thread(server, "tcp_rr-server-" + run.getId());
      serverThread.setDaemon(true);
      serverThread.start();
      ClosedLoop.Measurement measurement;
      try (SocketChannel client = SocketChannel.open(listener.getLocalAddress())) {
        client.setOption(StandardSocketOptions.TCP_NODELAY, true);
        TcpRrClient roundTrip = new TcpRrClient(client, requestBytes, responseBytes);
        measurement = ClosedLoop.run(roundTrip, warmup, duration, control);
      } finally {
        // The client's close makes the server read end-of-stream and return.
        serverThread.join(SERVER_STOP_TIMEOUT.toMillis());
      }
      if (server.failure() != null) {
        throw new WorkloadException("tcp_rr server failed: " + server.failure());
      }
      return Measurements.toResult(measurement).build();
    } catch (IOException e) {
      throw new WorkloadException("tcp_rr over loopback failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkloadException("tcp_rr interrupted while stopping its server");
    }
  }
}

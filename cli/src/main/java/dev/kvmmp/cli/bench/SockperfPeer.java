package dev.kvmmp.cli.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * sockperf TCP ping-pong over loopback, 14-byte messages (sockperf's smallest), each side
 * pinned with taskset: the peer of kvmmp's tcp_rr.
 */
public final class SockperfPeer implements NativePeer {

  /** sockperf will not send less; kvmmp's tcp_rr uses the same size for the comparison. */
  public static final int MESSAGE_BYTES = 14;

  private static final Duration LISTEN_TIMEOUT = Duration.ofSeconds(5);
  private static final int PROBE_TIMEOUT_MS = 200;
  private static final long PROBE_INTERVAL_MS = 50;

  private final Executables executables;
  private final ChildProcesses children;

  public SockperfPeer(Executables executables, ChildProcesses children) {
    this.executables = executables;
    this.children = children;
  }

  @Override
  public String name() {
    return "sockperf";
  }

  @Override
  public Optional<String> unavailableReason() {
    return executables.missing("sockperf", "sockperf", "taskset", "util-linux");
  }

  @Override
  public String placementLabel(BenchPlacement placement) {
    return placement == BenchPlacement.SAME_CPU
        ? Integer.toString(placement.clientCpu())
        : "client " + placement.clientCpu() + ", server " + placement.serverCpu();
  }

  @Override
  public Figures run(BenchPlacement placement, Duration duration) throws TrialException {
    String port = Integer.toString(freePort());
    long seconds = Math.max(1, duration.toSeconds());
    List<String> server = List.of("taskset", "-c", Integer.toString(placement.serverCpu()),
        "sockperf", "server", "--tcp", "-i", "127.0.0.1", "-p", port);
    List<String> client = List.of("taskset", "-c", Integer.toString(placement.clientCpu()),
        "sockperf", "ping-pong", "--tcp", "-i", "127.0.0.1", "-p", port,
        "-m", Integer.toString(MESSAGE_BYTES), "-t", Long.toString(seconds), "--full-rtt");
    try (ChildProcesses.Child serverProcess = children.start("sockperf server", server)) {
      awaitListening(Integer.parseInt(port), serverProcess);
      // sockperf warms up for 400 ms before its -t window; the rest is start-up slack.
      String output = children.run("sockperf ping-pong", client,
          Duration.ofSeconds(seconds * 2 + 30));
      return SockperfOutput.parse(output);
    }
  }

  /** Waits for the server's port, since the client gives up at once on a refused connection. */
  private static void awaitListening(int port, ChildProcesses.Child server)
      throws TrialException {
    long deadline = System.nanoTime() + LISTEN_TIMEOUT.toNanos();
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        throw new TrialException(server.exitDescription());
      }
      try (Socket probe = new Socket()) {
        probe.connect(address, PROBE_TIMEOUT_MS);
        return;
      } catch (IOException notYet) {
        sleep(PROBE_INTERVAL_MS);
      }
    }
    throw new TrialException("sockperf server did not listen on 127.0.0.1:" + port + " within "
        + LISTEN_TIMEOUT.toSeconds() + " s");
  }

  private static int freePort() throws TrialException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new TrialException("cannot find a free loopback port for sockperf: "
          + e.getMessage(), e);
    }
  }

  private static void sleep(long millis) throws TrialException {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TrialException("interrupted while waiting for the sockperf server", e);
    }
  }
}

package dev.kvmmp.worker.workload.tcprr;

import dev.kvmmp.worker.placement.PinnedThread;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;

/**
 * The tcp_rr server as a process of its own, netperf's way. Arguments: request bytes, response
 * bytes, and the vCPU to pin to (-1: unpinned). Prints {@code PORT <port> TID <tid>} once it
 * listens (the id of the thread that serves: the JVM's main thread is not the process's first
 * task), serves one connection, and prints {@code PINNED true|false} before it exits.
 */
public final class TcpRrServerProcess {

  private TcpRrServerProcess() {}

  public static void main(String[] args) throws IOException {
    int requestBytes = Integer.parseInt(args[0]);
    int responseBytes = Integer.parseInt(args[1]);
    int cpu = Integer.parseInt(args[2]);
    try (ServerSocketChannel listener = ServerSocketChannel.open()) {
      listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      TcpRrServer server = new TcpRrServer(listener, requestBytes, responseBytes,
          () -> cpu < 0 ? PinnedThread.NONE : PinnedThread.pinCurrentThread(cpu), tid -> { });
      System.out.println("PORT " + ((InetSocketAddress) listener.getLocalAddress()).getPort()
          + " TID " + PinnedThread.currentTid());
      System.out.flush();
      server.run();
      if (server.failure() != null) {
        System.out.println("FAILED " + server.failure());
        System.exit(1);
      }
      System.out.println("PINNED " + server.stayedPinned());
    }
  }
}

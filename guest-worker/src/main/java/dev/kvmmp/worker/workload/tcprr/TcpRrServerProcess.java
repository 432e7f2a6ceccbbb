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
      TcpRrServer server = new TcpRrServer(listener, requestBytes, responseBytes);
      System.out.println("PORT " + ((InetSocketAddress) listener.getLocalAddress()).getPort()
          + " TID " + PinnedThread.currentTid());
      System.out.flush();
      // Served on the main thread, whose id was printed: nothing to start, nothing to join.
      try (PinnedThread pinned = place(cpu)) {
        server.serve();
        System.out.println("PINNED " + pinned.stillPinned());
      } catch (IOException e) {
        fail(e);
      } catch (IllegalStateException e) {
        fail(new IOException("cannot place the server: " + e.getMessage(), e));
      }
    }
  }

  private static PinnedThread place(int cpu) {
    return cpu < 0 ? PinnedThread.NONE : PinnedThread.pinCurrentThread(cpu);
  }

  private static void fail(IOException e) {
    System.out.println("FAILED " + e);
    System.exit(1);
  }
}

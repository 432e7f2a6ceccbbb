package dev.kvmmp.worker.workload.tcprr;

import dev.kvmmp.worker.workload.WorkloadException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link TcpRrServerProcess} started from this worker: the same java and class path, its
 * stdout read line by line on a daemon thread so that every wait has a timeout. Closing it
 * kills it if it is still there.
 */
final class TcpRrServerChild implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final String EOF = "\u0000eof";

  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private InetSocketAddress address;
  private int tid;

  private TcpRrServerChild(Process process) {
    this.process = process;
    Thread reader = new Thread(this::readLines, "tcp_rr-server-child-output");
    reader.setDaemon(true);
    reader.start();
  }

  static TcpRrServerChild start(int requestBytes, int responseBytes, int cpu)
      throws IOException, WorkloadException {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process process = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        TcpRrServerProcess.class.getName(), Integer.toString(requestBytes),
        Integer.toString(responseBytes), Integer.toString(cpu))
        .redirectErrorStream(true)
        .start();
    TcpRrServerChild child = new TcpRrServerChild(process);
    try {
      String first = child.nextLine(START_TIMEOUT);
      String[] words = first.split(" ");
      if (words.length != 4 || !words[0].equals("PORT") || !words[2].equals("TID")) {
        throw new WorkloadException("tcp_rr server process did not start: " + first);
      }
      child.address = new InetSocketAddress(InetAddress.getLoopbackAddress(),
          Integer.parseInt(words[1]));
      child.tid = Integer.parseInt(words[3]);
      return child;
    } catch (WorkloadException | RuntimeException e) {
      child.close();
      throw e;
    }
  }

  InetSocketAddress address() {
    return address;
  }

  /** The thread of the child that serves the connection. */
  int tid() {
    return tid;
  }

  /** After the client closed: whether the server stayed on its vCPU, as it reports on exit. */
  boolean awaitStayedPinned(Duration timeout) throws WorkloadException {
    String last = nextLine(timeout);
    if (last.startsWith("PINNED ")) {
      return Boolean.parseBoolean(last.substring("PINNED ".length()));
    }
    throw new WorkloadException("tcp_rr server process: " + last);
  }

  private String nextLine(Duration timeout) throws WorkloadException {
    try {
      String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (line == null) {
        throw new WorkloadException("tcp_rr server process said nothing for "
            + timeout.toSeconds() + " s");
      }
      if (line.equals(EOF)) {
        throw new WorkloadException("tcp_rr server process exited (status "
            + exitStatus() + ")");
      }
      return line;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkloadException("interrupted while waiting for the tcp_rr server process");
    }
  }

  private String exitStatus() {
    try {
      return process.waitFor(5, TimeUnit.SECONDS) ? Integer.toString(process.exitValue())
          : "still running";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  private void readLines() {
    try (BufferedReader reader = new BufferedReader(
        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        lines.add(line);
      }
    } catch (IOException e) {
      // The process went away; EOF below says so.
    }
    lines.add(EOF);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}

package dev.kvmmp.worker.workload.memcache;

import dev.kvmmp.worker.placement.PinnedThread;
import dev.kvmmp.worker.workload.WorkloadException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A memcached started for one run, listening on 127.0.0.1 only, with one worker thread. When
 * the run is pinned it starts under {@code taskset -c CPU}, so that every thread memcached
 * creates inherits the CPU mask. Closing it stops it: SIGTERM, then SIGKILL after 5 s.
 */
final class MemcachedProcess implements AutoCloseable {

  static final Duration START_TIMEOUT = Duration.ofSeconds(10);
  static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
  private static final long POLL_MILLIS = 10;
  private static final int PORT_ATTEMPTS = 3;
  private static final Duration PROBE_TIMEOUT = Duration.ofMillis(250);
  private static final byte[] VERSION_REQUEST = "version\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] VERSION_REPLY = "VERSION ".getBytes(StandardCharsets.US_ASCII);
  /** What memcached prints when its port is taken (its bind failed with EADDRINUSE). */
  private static final String ADDRESS_IN_USE = "Address already in use";

  private final Process process;
  private final InetSocketAddress address;

  private MemcachedProcess(Process process, InetSocketAddress address) {
    this.process = process;
    this.address = address;
  }

  /**
   * Starts memcached and waits until it accepts connections.
   *
   * @param taskset the taskset program; only used when {@code cpu} is present
   * @param cpu the vCPU for all of memcached's threads; empty: left to the scheduler
   * @throws WorkloadException when memcached exits or does not listen within 10 s, with its
   *     output
   */
  static MemcachedProcess start(Path memcached, Path taskset, OptionalInt cpu,
      MemcacheSettings settings) throws IOException, WorkloadException {
    return start(memcached, taskset, cpu, settings, MemcachedProcess::freePort);
  }

  /** Where the ports to try come from: free ones, except in a test of a taken one. */
  interface PortSource {
    int next() throws IOException;
  }

  static MemcachedProcess start(Path memcached, Path taskset, OptionalInt cpu,
      MemcacheSettings settings, PortSource ports) throws IOException, WorkloadException {
    for (int attempt = 1; ; attempt++) {
      try {
        return startOn(ports.next(), memcached, taskset, cpu, settings);
      } catch (WorkloadException e) {
        // The free port was taken by another process before memcached bound it: a race no
        // choice of port avoids (memcached cannot be told to pick one), so take another.
        if (attempt == PORT_ATTEMPTS || !e.getMessage().contains(ADDRESS_IN_USE)) {
          throw e;
        }
      }
    }
  }

  private static MemcachedProcess startOn(int port, Path memcached, Path taskset,
      OptionalInt cpu, MemcacheSettings settings) throws IOException, WorkloadException {
    List<String> command = command(memcached, taskset, cpu, port, settings, runningAsRoot());
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    MemcachedProcess server = new MemcachedProcess(process,
        new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    try {
      server.awaitListening(String.join(" ", command));
      return server;
    } catch (WorkloadException | IOException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** memcached's command line; taskset in front when pinned. */
  static List<String> command(Path memcached, Path taskset, OptionalInt cpu, int port,
      MemcacheSettings settings, boolean root) {
    List<String> command = new ArrayList<>();
    if (cpu.isPresent()) {
      command.addAll(List.of(taskset.toString(), "-c", Integer.toString(cpu.getAsInt())));
    }
    command.addAll(List.of(memcached.toString(), "-l", "127.0.0.1", "-p",
        Integer.toString(port), "-U", "0", "-t", "1",
        "-m", Integer.toString(settings.memoryMegabytes())));
    if (settings.needsLargeItems()) {
      command.addAll(List.of("-I", "2m"));
    }
    if (root) {
      // memcached refuses to run as root without -u; it needs no privilege, so drop all.
      command.addAll(List.of("-u", "nobody"));
    }
    return command;
  }

  /**
   * Whether memcached still runs, or how it ended and what it printed: for the message of a
   * client that lost its connection (it may have exited, or something else served the port).
   */
  String state() {
    if (process.isAlive()) {
      return "memcached (pid " + pid() + ") on " + describe() + " still runs";
    }
    return "memcached (pid " + pid() + ") on " + describe() + " exited with status "
        + process.exitValue() + ": '" + output().trim() + "'";
  }

  InetSocketAddress address() {
    return address;
  }

  int pid() {
    return (int) process.pid();
  }

  /** memcached's threads, its main thread (the pid) among them. */
  List<Integer> tasks() throws IOException {
    Path taskDir = Path.of("/proc/" + pid() + "/task");
    try (Stream<Path> tasks = Files.list(taskDir)) {
      return tasks.map(task -> Integer.parseInt(task.getFileName().toString())).sorted().toList();
    } catch (IOException e) {
      throw new IOException("cannot list memcached's threads in " + taskDir + ": " + e, e);
    }
  }

  /** Whether every thread of memcached may run only on {@code cpu} and last ran there. */
  boolean confinedTo(int cpu) throws IOException {
    for (int tid : tasks()) {
      if (!PinnedThread.confinedTo(tid, cpu)) {
        return false;
      }
    }
    return true;
  }

  private void awaitListening(String command) throws IOException, WorkloadException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (true) {
      if (!process.isAlive()) {
        throw new WorkloadException("memcached exited with status " + process.exitValue()
            + " before accepting connections on " + describe() + ": '" + output().trim()
            + "' (command: " + command + ")");
      }
      if (memcachedAnswers()) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new WorkloadException("memcached did not accept connections on " + describe()
            + " within " + START_TIMEOUT.toSeconds() + " s (command: " + command + ")");
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new WorkloadException("interrupted while waiting for memcached to listen");
      }
    }
  }

  /**
   * Whether a memcached answers on the port. A connection alone does not say it is ours: when
   * another process took the port first, the connection reaches that one, and memcached is
   * about to exit with "Address already in use".
   */
  private boolean memcachedAnswers() {
    try (Socket probe = new Socket()) {
      probe.connect(address, (int) PROBE_TIMEOUT.toMillis());
      probe.setSoTimeout((int) PROBE_TIMEOUT.toMillis());
      probe.getOutputStream().write(VERSION_REQUEST);
      byte[] reply = probe.getInputStream().readNBytes(VERSION_REPLY.length);
      return Arrays.equals(reply, VERSION_REPLY);
    } catch (IOException e) {
      // Not listening yet (refused), or not memcached (no answer, or not this one). A slow
      // answer costs only another try, until START_TIMEOUT.
      return false;
    }
  }

  private String describe() {
    return address.getAddress().getHostAddress() + ":" + address.getPort();
  }

  /** What an exited memcached printed; its pipe is at end of stream then, so this cannot block. */
  private String output() {
    try (InputStream out = process.getInputStream()) {
      return new String(out.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(output unreadable: " + e.getMessage() + ")";
    }
  }

  private static int freePort() throws IOException {
    // memcached takes the port a moment later; another process taking it first makes
    // memcached exit with "Address already in use", and start() tries another port.
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static boolean runningAsRoot() throws IOException {
    // /proc/self belongs to the process's effective user.
    return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
  }

  @Override
  public void close() {
    process.destroy();
    if (!awaitExit(STOP_TIMEOUT)) {
      process.destroyForcibly();
      awaitExit(STOP_TIMEOUT);
    }
  }

  /**
   * Waits for memcached to exit, also when this thread is interrupted (a run's deadline does
   * that): the interrupt is kept for the caller, but memcached must still be gone.
   */
  private boolean awaitExit(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return process.waitFor(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}

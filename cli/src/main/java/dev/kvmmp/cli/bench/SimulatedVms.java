package dev.kvmmp.cli.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * VMs that look to the host-probe like QEMU VMs, as far as it can tell without KVM doing work:
 * <ul>
 *   <li>a process per VM that the probe's real {@code /proc} scan finds: {@code /bin/sh} started
 *       through a link named {@code qemu-system-kvmmp-sim} (so its {@code comm} is {@code
 *       qemu-system-kvm}) with a QEMU command line ({@code -uuid}, {@code -name}, {@code -qmp
 *       unix:...}) as arguments it ignores; it waits on its stdin and ends when this process does;
 *   <li>a QMP monitor per VM on that UNIX socket, answering with a real QEMU's captured replies;
 *   <li>real threads as its vCPU threads (parked, as a halted vCPU's thread sleeps), on which the
 *       probe opens its kvm tracepoint counters: the counters' open and read cost is real, they
 *       just count nothing.
 * </ul>
 * Everything runs in this (the benchmark's) process or its children, never the probe's.
 */
final class SimulatedVms implements AutoCloseable {

  static final String LINK_NAME = "qemu-system-kvmmp-sim";
  private static final Path SHELL = Path.of("/bin/sh");
  private static final long START_TIMEOUT_SECONDS = 10;

  private final Path dir;
  private final String namePrefix;
  private final SimulatedQmpServer server;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final List<Process> processes = new ArrayList<>();

  private SimulatedVms(Path dir, String namePrefix, SimulatedQmpServer server) {
    this.dir = dir;
    this.namePrefix = namePrefix;
    this.server = server;
  }

  /**
   * Starts {@code count} VMs of {@code vcpus} vCPUs each, named {@code namePrefix} and a number.
   */
  static SimulatedVms start(int count, int vcpus, String namePrefix) throws IOException {
    // A UNIX socket path must fit in 108 bytes: keep the directory short.
    Path dir = Files.createTempDirectory("kvmmp-probe-bench");
    SimulatedVms vms = new SimulatedVms(dir, namePrefix, new SimulatedQmpServer());
    try {
      Files.createSymbolicLink(dir.resolve(LINK_NAME), SHELL);
      for (int i = 1; i <= count; i++) {
        vms.startVm(i, vcpus);
      }
      return vms;
    } catch (IOException | RuntimeException e) {
      vms.close();
      throw e;
    }
  }

  private void startVm(int index, int vcpus) throws IOException {
    String uuid = UUID.randomUUID().toString();
    String name = String.format(Locale.ROOT, "%s%03d", namePrefix, index);
    Path socket = dir.resolve(String.format(Locale.ROOT, "vm-%03d.sock", index));
    List<Integer> threads = new ArrayList<>();
    for (int v = 0; v < vcpus; v++) {
      threads.add(startVcpuThread(name + "-vcpu-" + v));
    }
    server.listen(socket, new CapturedQemuMonitor(uuid, threads));
    processes.add(new ProcessBuilder(dir.resolve(LINK_NAME).toString(), "-c", "read x",
        "qemu-system-x86_64", "-enable-kvm", "-cpu", "host,arch-capabilities=off",
        "-smp", Integer.toString(vcpus), "-m", "64", "-nographic", "-nodefaults",
        "-no-user-config", "-uuid", uuid, "-name", name,
        "-qmp", "unix:" + socket + ",server=on,wait=off")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(ProcessBuilder.Redirect.DISCARD)
        .start());
  }

  /** Starts a thread that parks until {@link #close}; returns its kernel thread id. */
  private int startVcpuThread(String name) throws IOException {
    int[] tid = {0};
    CountDownLatch started = new CountDownLatch(1);
    Thread thread = new Thread(() -> {
      try {
        tid[0] = Integer.parseInt(Files.readSymbolicLink(Path.of("/proc/thread-self"))
            .getFileName().toString());
      } catch (IOException | NumberFormatException e) {
        tid[0] = -1;
      }
      started.countDown();
      awaitStop();
    }, name);
    thread.setDaemon(true);
    thread.start();
    try {
      if (!started.await(START_TIMEOUT_SECONDS, TimeUnit.SECONDS) || tid[0] <= 0) {
        throw new IOException("simulated vCPU thread " + name + ": no thread id from "
            + "/proc/thread-self within " + START_TIMEOUT_SECONDS + " s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting simulated vCPU thread " + name, e);
    }
    return tid[0];
  }

  private void awaitStop() {
    try {
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The prefix of every simulated VM's {@code -name}: what the probe under test follows. */
  String namePrefix() {
    return namePrefix;
  }

  /** Stops the processes, the monitors and the threads, and removes the sockets. */
  @Override
  public void close() {
    for (Process process : processes) {
      process.destroyForcibly();
    }
    for (Process process : processes) {
      try {
        process.waitFor(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    server.close();
    stop.countDown();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // A leftover directory in the temp directory is harmless.
    }
  }

  static boolean shellAvailable() {
    return new File(SHELL.toString()).canExecute();
  }
}

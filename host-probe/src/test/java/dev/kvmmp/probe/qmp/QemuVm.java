package dev.kvmmp.probe.qmp;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A diskless 2-vCPU QEMU/KVM VM with a QMP socket, for integration tests: SeaBIOS runs, finds no
 * boot device and retries, halting in between, so KVM's counters move. Killed on {@link #close()}
 * (SIGTERM, then SIGKILL) and, should the test JVM exit first, by a shutdown hook.

 */
public final class QemuVm implements AutoCloseable {

  private static final AtomicInteger COUNT = new AtomicInteger();
  private static final long START_TIMEOUT_MILLIS = 10_000;
  private static final long STOP_TIMEOUT_MILLIS = 5_000;

  private final Path dir;
  private final Path qmpSocket;
  private final String uuid;
  private final String name;
  private final Process process;
  private final Thread killer;

  private QemuVm(Path dir, String uuid, String name, Process process) {
    this.dir = dir;
    this.qmpSocket = dir.resolve("qmp.sock");
    this.uuid = uuid;
    this.name = name;
    this.process = process;
    this.killer = new Thread(process::destroyForcibly, "kill-qemu-" + process.pid());
    Runtime.getRuntime().addShutdownHook(killer);
  }

  /** Starts the VM and waits for its QMP socket; skips the test without KVM or QEMU. */
  public static QemuVm start() throws IOException, InterruptedException {
    Assumptions.assumeTrue(Files.exists(Path.of("/dev/kvm")), "no /dev/kvm: KVM not available");
    Assumptions.assumeTrue(Stream.of(System.getenv("PATH").split(File.pathSeparator))
        .anyMatch(d -> Files.isExecutable(Path.of(d, "qemu-system-x86_64"))),
        "qemu-system-x86_64 not on PATH");
    // Short path: a UNIX socket path must fit in 108 bytes.
    Path dir = Files.createTempDirectory("kvmmp-qemu");
    String uuid = UUID.randomUUID().toString();
    String name = "kvmmp-test-" + ProcessHandle.current().pid() + "-" + COUNT.incrementAndGet();
    ProcessBuilder builder = new ProcessBuilder("qemu-system-x86_64", "-enable-kvm",
        // Plain "-cpu host" aborts under nested kvm_pvm on MSR 0x10a (IA32_ARCH_CAPABILITIES).
        "-cpu", "host,arch-capabilities=off", "-smp", "2", "-m", "64", "-nographic",
        "-nodefaults", "-no-user-config", "-uuid", uuid,
        "-name", name,
        "-qmp", "unix:" + dir.resolve("qmp.sock") + ",server=on,wait=off")
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("qemu.log").toFile());
    QemuVm vm = new QemuVm(dir, uuid, name, builder.start());
    try {
      vm.awaitSocket();
      return vm;
    } catch (IOException | InterruptedException | RuntimeException e) {
      vm.close();
      throw e;
    }
  }

  private void awaitSocket() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MILLIS);
    while (!Files.exists(qmpSocket)) {
      if (!process.isAlive()) {
        throw new IOException("QEMU exited with " + process.exitValue() + " before its QMP socket "
            + qmpSocket + " appeared: " + log());
      }
      if (System.nanoTime() > deadline) {
        throw new IOException("no QMP socket " + qmpSocket + " within " + START_TIMEOUT_MILLIS
            + " ms: " + log());
      }
      Thread.sleep(20);
    }
  }

  public Path qmpSocket() {
    return qmpSocket;
  }

  public String uuid() {
    return uuid;
  }

  public String name() {
    return name;
  }

  public Process process() {
    return process;
  }

  /** What QEMU printed so far. */
  public String log() throws IOException {
    Path log = dir.resolve("qemu.log");
    return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8).strip() : "";
  }

  @Override
  public void close() throws IOException {
    try {
      process.destroy();
      if (!process.waitFor(STOP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        if (!process.waitFor(STOP_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS)) {
          throw new IOException("QEMU pid " + process.pid() + " survived SIGKILL for "
              + STOP_TIMEOUT_MILLIS + " ms");
        }
      }
      Runtime.getRuntime().removeShutdownHook(killer);
    } catch (InterruptedException e) {
      // Interrupted while waiting: no time left to be polite. The hook stays, as a second chance.
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
          Files.deleteIfExists(p);
        }
      }
    }
  }
}

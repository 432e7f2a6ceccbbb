package dev.kvmmp.cli.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real diskless 2-vCPU QEMU/KVM VM with a QMP socket (SeaBIOS runs, finds nothing to boot and
 * retries, halting in between), stopped on {@link #close}: the probe benchmark's real VM.
 */
public final class BenchQemuVm implements AutoCloseable {

  private static final String QEMU = "qemu-system-x86_64";
  private static final long START_TIMEOUT_MILLIS = 10_000;

  private final ChildProcesses.Child process;
  private final Path dir;

  private final String uuid;

  private BenchQemuVm(ChildProcesses.Child process, Path dir, String uuid) {
    this.process = process;
    this.dir = dir;
    this.uuid = uuid;
  }

  /** The VM's SMBIOS UUID (-uuid): the identity a guest-worker inside it would report. */
  public String uuid() {
    return uuid;
  }

  /** Why no real VM can be started here, or empty when one can. */
  public static Optional<String> unavailable() {
    if (!Files.exists(Path.of("/dev/kvm"))) {
      return Optional.of("no /dev/kvm");
    }
    boolean onPath = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
        .anyMatch(d -> Files.isExecutable(Path.of(d, QEMU)));
    return onPath ? Optional.empty() : Optional.of(QEMU + " not on PATH (apt-get install -y "
        + "qemu-system-x86)");
  }

  /** Starts the VM named {@code name} and waits for its QMP socket. */
  public static BenchQemuVm start(ChildProcesses children, String name) throws IOException,
      TrialException {
    String uuid = UUID.randomUUID().toString();
    Path dir = Files.createTempDirectory("kvmmp-probe-bench-qemu");
    Path socket = dir.resolve("qmp.sock");
    ChildProcesses.Child child = children.start("QEMU VM " + name, List.of(QEMU, "-enable-kvm",
        // Plain "-cpu host" aborts under nested kvm_pvm on MSR 0x10a (IA32_ARCH_CAPABILITIES).
        "-cpu", "host,arch-capabilities=off", "-smp", "2", "-m", "64", "-nographic",
        "-nodefaults", "-no-user-config", "-uuid", uuid, "-name", name,
        "-qmp", "unix:" + socket + ",server=on,wait=off"));
    BenchQemuVm vm = new BenchQemuVm(child, dir, uuid);
    try {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MILLIS);
      while (!Files.exists(socket)) {
        if (!child.isAlive()) {
          throw new TrialException(child.exitDescription());
        }
        if (System.nanoTime() > deadline) {
          throw new TrialException("QEMU made no QMP socket " + socket + " within "
              + START_TIMEOUT_MILLIS + " ms");
        }
        Thread.sleep(20);
      }
      return vm;
    } catch (InterruptedException e) {
      vm.close();
      Thread.currentThread().interrupt();
      throw new TrialException("interrupted while starting QEMU", e);
    } catch (TrialException | RuntimeException e) {
      vm.close();
      throw e;
    }
  }

  @Override
  public void close() {
    process.close();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Files.deleteIfExists(p);
      }
      Files.deleteIfExists(dir);
    } catch (IOException e) {
      // A leftover directory in the temp directory is harmless.
    }
  }
}

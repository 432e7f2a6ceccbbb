package dev.kvmmp.probe.debugfs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvmmp.probe.discovery.QemuProcesses;
import dev.kvmmp.probe.qmp.QemuVm;
import dev.kvmmp.proto.v1.SourceStatus;
import dev.kvmmp.proto.v1.VmInfo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Against this machine's debugfs with a real QEMU/KVM VM: mounts debugfs if it is not (and
 * unmounts it after, only then). Needs root.
 */
class DebugfsStatsSourceIT {

  private static final Logger log = LoggerFactory.getLogger(DebugfsStatsSourceIT.class);
  private static final Path DEBUGFS = Path.of("/sys/kernel/debug");
  private static final long COMMAND_TIMEOUT_SECONDS = 10;
  private static final long DIR_TIMEOUT_MILLIS = 5_000;

  @Test
  void statusSaysWhyAndVcpuPidsMatchQmp() throws Exception {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
        "debugfs needs root; running as " + System.getProperty("user.name"));
    boolean mountedHere = false;
    if (isEmpty(DEBUGFS)) {
      run("mount", "-t", "debugfs", "none", DEBUGFS.toString());
      mountedHere = true;
    }
    try (QemuVm vm = QemuVm.start()) {
      DebugfsStatsSource source = new DebugfsStatsSource(DebugfsStatsSource.DEFAULT_DIR);
      SourceStatus status = source.status();
      log.info("debugfs status: available={} reason={}", status.getAvailable(),
          status.getReason());
      if (!status.getAvailable()) {
        // This machine runs in kernel lockdown: the one refusal expected here.
        assertThat(status.getReason()).contains("EPERM").contains("kernel lockdown");
      }

      long pid = vm.process().pid();
      Optional<DebugfsVm> dir = awaitVm(source, pid);
      Assumptions.assumeTrue(dir.isPresent(), "no debugfs directory " + pid + "-* appeared");
      log.info("debugfs {}: vcpu tids {}, readable stats {}", dir.get().counters().getDebugfsDir(),
          dir.get().vcpuTids(), dir.get().counters().getStatsMap());
      VmInfo fromQmp = new QemuProcesses(Path.of("/proc")).list().stream()
          .filter(v -> v.getVmmPid() == pid).findFirst().orElseThrow();
      assertThat(dir.get().vcpuTids()).hasSize(2).isEqualTo(fromQmp.getVcpuTidsList());
    } finally {
      if (mountedHere) {
        run("umount", DEBUGFS.toString());
      }
    }
  }

  /**
   * The VM's directory once both vCPUs have run: QEMU creates them after its QMP socket, and
   * {@code vcpuN/pid} reads 0 until the vCPU's first KVM_RUN.
   */
  private static Optional<DebugfsVm> awaitVm(DebugfsStatsSource source, long pid)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DIR_TIMEOUT_MILLIS);
    while (true) {
      List<DebugfsVm> vms = source.read();
      Optional<DebugfsVm> vm = vms.stream()
          .filter(v -> v.counters().getVmmPid() == pid && v.vcpuTids().size() == 2
              && !v.vcpuTids().contains(0)).findFirst();
      if (vm.isPresent() || System.nanoTime() > deadline) {
        return vm;
      }
      Thread.sleep(50);
    }
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> entries = Files.list(dir)) {
      return entries.findAny().isEmpty();
    }
  }

  private static void run(String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    if (!p.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", command) + ": no exit within "
          + COMMAND_TIMEOUT_SECONDS + " s");
    }
    if (p.exitValue() != 0) {
      throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": "
          + new String(p.getInputStream().readAllBytes()).strip());
    }
  }
}

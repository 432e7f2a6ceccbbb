package dev.kvmmp.probe.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvmmp.proto.v1.VmInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QemuProcessesTest {

  @Test
  void findsQemuProcessesByCommAndSkipsOthersAndZombies() throws Exception {
    QemuProcesses processes =
        new QemuProcesses(QemuCommandLineTest.fixture("proc/two-qemus"), Duration.ofSeconds(1));

    List<DiscoveredVm> vms = processes.discover();

    assertThat(vms).extracting(DiscoveredVm::pid).containsExactly(2817L, 30656L);
    assertThat(vms.get(1).name()).contains("kvmmp-test-1");
    assertThat(vms.get(1).uuid()).contains("3f2504e0-4f89-11d3-9a0c-0305e82c3301");
  }

  @Test
  void listLeavesOutVmsWhoseQmpSocketRefusesWithoutThrowing() throws Exception {
    QemuProcesses processes =
        new QemuProcesses(QemuCommandLineTest.fixture("proc/two-qemus"), Duration.ofSeconds(1));

    // Neither fixture socket exists on this machine.
    assertThat(processes.list()).isEmpty();
  }

  @Test
  void listsVmWithoutQmpSocketWithoutThreadIds(@TempDir Path proc) throws Exception {
    Path pid = Files.createDirectories(proc.resolve("77"));
    Files.writeString(pid.resolve("comm"), "qemu-system-aar\n");
    Files.write(pid.resolve("cmdline"),
        "qemu-system-aarch64\0-name\0arm-1\0-uuid\0abc\0".getBytes(StandardCharsets.UTF_8));

    assertThat(new QemuProcesses(proc).list()).containsExactly(VmInfo.newBuilder()
        .setVmmPid(77).setName("arm-1").setVmIdentity("abc").build());
  }

  @Test
  void recognisesQemuByExeWhenCommWasRenamed(@TempDir Path proc) throws Exception {
    Path pid = Files.createDirectories(proc.resolve("88"));
    // QEMU's -name ...,process=X renames the main thread: only exe still says qemu.
    Files.writeString(pid.resolve("comm"), "vm-88\n");
    Files.createSymbolicLink(pid.resolve("exe"), Path.of("/usr/bin/qemu-system-x86_64"));
    Files.write(pid.resolve("cmdline"), "qemu-system-x86_64\0".getBytes(StandardCharsets.UTF_8));
    Files.createDirectories(proc.resolve("self"));

    assertThat(new QemuProcesses(proc).discover()).extracting(DiscoveredVm::pid)
        .containsExactly(88L);
  }

  @Test
  void readsAProcessOnlyWhenItsPidIsNewOrItsRecheckIsDue(@TempDir Path proc) throws Exception {
    long[] now = {0};
    QemuProcesses processes = new QemuProcesses(proc, Duration.ofSeconds(1), () -> now[0]);
    writeProcess(proc, 77, "qemu-system-x86", "qemu-system-x86_64\0-name\0before\0");
    assertThat(processes.discover()).extracting(vm -> vm.name().orElseThrow())
        .containsExactly("before");

    // Not re-read before the QEMU recheck: a running QEMU's command line does not change.
    writeProcess(proc, 77, "qemu-system-x86", "qemu-system-x86_64\0-name\0after\0");
    now[0] = seconds(PidRecheck.MAX_DELAY_SECONDS) - 1;
    assertThat(processes.discover()).extracting(vm -> vm.name().orElseThrow())
        .containsExactly("before");

    now[0] = seconds(PidRecheck.MAX_DELAY_SECONDS);
    assertThat(processes.discover()).extracting(vm -> vm.name().orElseThrow())
        .containsExactly("after");
  }

  @Test
  void findsAProcessThatExecsQemuAtItsNextRecheckWithDoublingDelays(@TempDir Path proc)
      throws Exception {
    long[] now = {0};
    QemuProcesses processes = new QemuProcesses(proc, Duration.ofSeconds(1), () -> now[0]);
    // libvirt forks, then the child execs QEMU: same pid, first not QEMU.
    writeProcess(proc, 50, "rpc-libvirtd", "/usr/sbin/libvirtd\0");
    assertThat(processes.discover()).isEmpty();
    now[0] = seconds(1);
    assertThat(processes.discover()).isEmpty();

    writeProcess(proc, 50, "qemu-system-x86", "qemu-system-x86_64\0-name\0vm-50\0");
    // Looked at 1 s after first seen, so next 2 s later, at 3 s.
    now[0] = seconds(3) - 1;
    assertThat(processes.discover()).isEmpty();
    now[0] = seconds(3);
    assertThat(processes.discover()).extracting(DiscoveredVm::pid).containsExactly(50L);
  }

  @Test
  void forgetsAGoneProcessSoThatItsPidReusedIsReadAfresh(@TempDir Path proc) throws Exception {
    QemuProcesses processes = new QemuProcesses(proc, Duration.ofSeconds(1), () -> 0L);
    writeProcess(proc, 60, "qemu-system-x86", "qemu-system-x86_64\0-name\0first\0");
    assertThat(processes.discover()).hasSize(1);

    deleteProcess(proc, 60);
    assertThat(processes.discover()).isEmpty();
    writeProcess(proc, 60, "qemu-system-x86", "qemu-system-x86_64\0-name\0second\0");

    assertThat(processes.discover()).extracting(vm -> vm.name().orElseThrow())
        .containsExactly("second");
  }

  @Test
  void anExitingQemuIsLeftOutUntilItIsGone(@TempDir Path proc) throws Exception {
    long[] now = {0};
    QemuProcesses processes = new QemuProcesses(proc, Duration.ofSeconds(1), () -> now[0]);
    writeProcess(proc, 70, "qemu-system-x86", "");

    assertThat(processes.discover()).isEmpty();
    now[0] = seconds(1);
    assertThat(processes.discover()).isEmpty();
  }

  private static long seconds(long s) {
    return TimeUnit.SECONDS.toNanos(s);
  }

  private static void writeProcess(Path proc, long pid, String comm, String cmdline)
      throws Exception {
    Path dir = Files.createDirectories(proc.resolve(Long.toString(pid)));
    Files.writeString(dir.resolve("comm"), comm + "\n");
    Files.write(dir.resolve("cmdline"), cmdline.getBytes(StandardCharsets.UTF_8));
  }

  private static void deleteProcess(Path proc, long pid) throws Exception {
    Path dir = proc.resolve(Long.toString(pid));
    Files.delete(dir.resolve("comm"));
    Files.delete(dir.resolve("cmdline"));
    Files.delete(dir);
  }

  @Test
  void missingProcGivesEmptyListing(@TempDir Path dir) {
    assertThat(new QemuProcesses(dir.resolve("nope")).list()).isEmpty();
  }

  @Test
  void vcpuThreadIdsComeInVcpuOrder() throws Exception {
    var reply = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
        "[{\"cpu-index\":1,\"thread-id\":502,\"qom-path\":\"/machine/unattached/device[1]\"},"
            + "{\"cpu-index\":0,\"thread-id\":501,\"qom-path\":\"/machine/unattached/device[0]\"}]");

    assertThat(QemuProcesses.vcpuThreadIds(reply)).containsExactly(501, 502);
  }
}

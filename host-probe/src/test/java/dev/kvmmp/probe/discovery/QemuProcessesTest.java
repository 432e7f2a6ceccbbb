package dev.kvmmp.probe.discovery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvmmp.proto.v1.VmInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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

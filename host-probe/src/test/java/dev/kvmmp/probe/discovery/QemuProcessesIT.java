package dev.kvmmp.probe.discovery;

import static org.assertj.core.api.Assertions.assertThat;


import dev.kvmmp.probe.qmp.QemuVm;
import dev.kvmmp.proto.v1.VmInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Against a real QEMU/KVM VM on this machine (skipped without /dev/kvm or QEMU). */
class QemuProcessesIT {

  private static final Logger log = LoggerFactory.getLogger(QemuProcessesIT.class);

  @Test
  void runningVmIsListedWithItsVcpuThreadsAndGoneOnceClosed() throws Exception {
    QemuProcesses processes = new QemuProcesses(Path.of("/proc"));
    long pid;
    try (QemuVm vm = QemuVm.start()) {
      pid = vm.process().pid();
      List<VmInfo> vms = processes.list();
      log.info("discovered: {}", vms.stream().map(v -> v.toString().replace('\n', ' ')).toList());

      VmInfo info = find(vms, pid).orElseThrow(() -> new AssertionError(
          "QEMU pid " + pid + " not in the listing " + vms));
      assertThat(info.getVmIdentity()).isEqualTo(vm.uuid());
      assertThat(info.getName()).isEqualTo(vm.name());
      assertThat(info.getVcpuTidsList()).hasSize(2).doesNotHaveDuplicates()
          .allSatisfy(tid -> assertThat(Path.of("/proc", "" + pid, "task", "" + tid))
              .as("vCPU thread %d of QEMU pid %d", tid, pid).isDirectory());
    }
    assertThat(Files.exists(Path.of("/proc", "" + pid))).isFalse();
    assertThat(find(processes.list(), pid)).isEmpty();
  }

  private static Optional<VmInfo> find(List<VmInfo> vms, long pid) {
    return vms.stream().filter(v -> v.getVmmPid() == pid).findFirst();
  }
}

package dev.kvmmp.probe.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvmmp.proto.v1.HostSample;
import dev.kvmmp.proto.v1.VmCounters;
import dev.kvmmp.proto.v1.VmInfo;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** VM identities and vCPU threads from a /proc laid out as QEMU 7.2's on this machine. */
class VmRosterTest {

  private static final String UUID = "11111111-2222-3333-4444-555555555555";

  @TempDir
  Path root;

  private ProbeHostTree tree;
  private VmRoster roster;

  @BeforeEach
  void layOut() throws Exception {
    tree = new ProbeHostTree(root);
    roster = new VmRoster(root.resolve("proc"));
  }

  @Test
  void findsTheVcpuThreadsInVcpuOrderFromTheirKvmRunFds() throws Exception {
    tree.qemu(22961, UUID, "probe-try", 22965, 22966);

    List<VmInfo> vms = roster.update(sampleOf(22961, UUID)).orElseThrow();

    assertThat(vms).singleElement().satisfies(vm -> {
      assertThat(vm.getVcpuTidsList()).containsExactly(22965, 22966);
      assertThat(vm.getName()).isEqualTo("probe-try");
      assertThat(vm.getVmIdentity()).isEqualTo(UUID);
    });
  }

  @Test
  void leavesOutKvmsOwnWorkerThreadThatShowsAVcpusSyscall() throws Exception {
    tree.qemu(22961, UUID, "probe-try", 22965, 22966);
    // As seen here: kvm-nx-lpage-recovery inherits the registers of the vCPU that made it.
    tree.write("proc/22961/task/22968/comm", "kvm-nx-lpage-re\n");
    tree.write("proc/22961/task/22968/syscall", "16 0xe 0xae80 0x0 0x0 0x5653b795a290 0x0 0x0 "
        + "0x0\n");

    assertThat(roster.update(sampleOf(22961, UUID)).orElseThrow().get(0).getVcpuTidsList())
        .containsExactly(22965, 22966);
  }

  @Test
  void triesAgainForAVcpuThatWasOutsideKvmRun() throws Exception {
    tree.qemu(22961, UUID, "probe-try", 22965, 22966);
    tree.write("proc/22961/task/22966/syscall", "running\n");

    assertThat(roster.update(sampleOf(22961, UUID)).orElseThrow().get(0).getVcpuTidsList())
        .as("a partial list would pass for the whole VM").isEmpty();

    tree.write("proc/22961/task/22966/syscall", "16 0xe 0xae80 0x0 0x0 0x0 0x0 0x0 0x0\n");
    assertThat(roster.update(sampleOf(22961, UUID)).orElseThrow().get(0).getVcpuTidsList())
        .containsExactly(22965, 22966);
    assertThat(roster.update(sampleOf(22961, UUID))).as("no change, nothing to tell").isEmpty();
  }

  @Test
  void aVmThatIsGoneFromProcKeepsItsIdentityFromTheSample() {
    List<VmInfo> vms = roster.update(sampleOf(777, UUID)).orElseThrow();

    assertThat(vms).singleElement().satisfies(vm -> {
      assertThat(vm.getVmIdentity()).isEqualTo(UUID);
      assertThat(vm.getVcpuTidsList()).isEmpty();
    });
  }

  private static HostSample sampleOf(int pid, String identity) {
    return HostSample.newBuilder().addVms(VmCounters.newBuilder().setVmmPid(pid)
        .setVmIdentity(identity)).build();
  }
}

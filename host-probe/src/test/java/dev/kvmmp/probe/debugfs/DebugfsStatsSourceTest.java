package dev.kvmmp.probe.debugfs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvmmp.proto.v1.SourceStatus;
import dev.kvmmp.proto.v1.VmCounters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On fixture trees laid out like a host's debugfs: see src/test/resources/debugfs/README.txt. */
class DebugfsStatsSourceTest {

  private static Path fixture(String name) throws Exception {
    return Path.of(DebugfsStatsSourceTest.class.getClassLoader().getResource(name).toURI());
  }

  @Test
  void readsEveryVmsCountersAndVcpuThreadIds() throws Exception {
    List<DebugfsVm> vms = new DebugfsStatsSource(fixture("debugfs/two-vms/kvm")).read();

    assertThat(vms).hasSize(2);
    VmCounters first = vms.get(0).counters();
    assertThat(first.getSource()).isEqualTo("debugfs");
    assertThat(first.getVmmPid()).isEqualTo(4242);
    assertThat(first.getDebugfsDir()).isEqualTo("4242-11");
    assertThat(first.getStatsMap()).containsEntry("exits", 700_001L)
        .containsEntry("halt_successful_poll", 9_000L)
        .containsEntry("pages_4k", 16_384L)
        // 2^64-1 in the kernel's u64: the same bits in a Java long.
        .containsEntry("halt_wait_ns", -1L);
    assertThat(vms.get(0).vcpuTids()).containsExactly(4250, 4251);
    assertThat(vms.get(1).counters().getVmmPid()).isEqualTo(5151);
    assertThat(vms.get(1).vcpuTids()).containsExactly(5160);
  }

  @Test
  void skipsHistogramsTablesAndVcpuFiles() throws Exception {
    VmCounters first = new DebugfsStatsSource(fixture("debugfs/two-vms/kvm")).read().get(0)
        .counters();

    assertThat(first.getStatsMap()).doesNotContainKeys("halt_wait_hist", "mmu_rmaps_stat",
        "pid", "tsc-offset", "guest_mode");
  }

  @Test
  void neverWrites() throws Exception {
    Path kvm = fixture("debugfs/two-vms/kvm");
    long before = Files.getLastModifiedTime(kvm.resolve("4242-11/exits")).toMillis();

    new DebugfsStatsSource(kvm).read();

    assertThat(Files.readString(kvm.resolve("4242-11/exits"))).isEqualTo("700001\n");
    assertThat(Files.getLastModifiedTime(kvm.resolve("4242-11/exits")).toMillis())
        .isEqualTo(before);
  }

  @Test
  void availableWhenCountersRead() throws Exception {
    SourceStatus status = new DebugfsStatsSource(fixture("debugfs/two-vms/kvm")).status();

    assertThat(status.getName()).isEqualTo("debugfs");
    assertThat(status.getAvailable()).isTrue();
  }

  @Test
  void notMountedSaysHowToMount(@TempDir Path sys) throws Exception {
    // An unmounted debugfs leaves /sys/kernel/debug an empty directory.
    Path debug = Files.createDirectories(sys.resolve("kernel/debug"));

    SourceStatus status = new DebugfsStatsSource(debug.resolve("kvm")).status();

    assertThat(status.getAvailable()).isFalse();
    assertThat(status.getReason()).contains("debugfs not mounted")
        .contains("mount -t debugfs none /sys/kernel/debug");
  }

  @Test
  void mountedWithoutKvmSaysSo(@TempDir Path debug) throws Exception {
    Files.createDirectories(debug.resolve("tracing"));

    SourceStatus status = new DebugfsStatsSource(debug.resolve("kvm")).status();

    assertThat(status.getAvailable()).isFalse();
    assertThat(status.getReason()).contains("kvm module");
  }

  @Test
  void vmThatVanishedIsLeftOut(@TempDir Path kvm) throws Exception {
    Files.createDirectories(kvm.resolve("10-5"));
    Files.writeString(kvm.resolve("10-5/exits"), "3\n");
    // A directory whose name is not <pid>-<fd> is not a VM.
    Files.createDirectories(kvm.resolve("vcpu0"));

    assertThat(new DebugfsStatsSource(kvm).read()).extracting(v -> v.counters().getVmmPid())
        .containsExactly(10);
  }
}

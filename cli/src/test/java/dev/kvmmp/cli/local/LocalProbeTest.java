package dev.kvmmp.cli.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** When {@code kvmmp local} starts no probe, it says why in one line. */
class LocalProbeTest {

  @TempDir
  Path dir;

  @Test
  void saysANonRootUserGetsNoProbe() throws IOException {
    Path kvm = Files.createFile(dir.resolve("kvm"));

    assertThat(LocalProbe.whyNot(1000, kvm)).hasValueSatisfying(why -> assertThat(why)
        .startsWith("not root (uid 1000)").contains("ipi_halt").doesNotContain("\n"));
  }

  @Test
  void saysAMachineWithoutKvmGetsNoProbe() {
    Path kvm = dir.resolve("kvm");

    assertThat(LocalProbe.whyNot(0, kvm)).hasValueSatisfying(why -> assertThat(why)
        .isEqualTo("open(" + kvm + ", O_RDWR): ENOENT, this machine has no KVM; host workloads "
            + "(ipi_halt) cannot run"));
  }

  @Test
  void startsOneForRootWhenTheDeviceOpensReadWrite() throws IOException {
    Path kvm = Files.createFile(dir.resolve("kvm"));

    assertThat(LocalProbe.whyNot(0, kvm)).isEmpty();
  }
}

package dev.kvmmp.probe.microvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IpiHaltSettingsTest {

  private static final Duration DEADLINE = Duration.ofSeconds(10);

  @Test
  void refusesOutOfRangeFactorsNamingFieldValueAndLimit() {
    assertThatThrownBy(() -> IpiHaltSettings.of(-1, Placement.SAME_CPU, 10, 0, DEADLINE))
        .hasMessage("haltPollNs: -1, expected 0-1000000000");
    assertThatThrownBy(() -> IpiHaltSettings.of(0, Placement.SAME_CPU, 0, 0, DEADLINE))
        .hasMessage("roundTrips: 0, expected 1-10000000");
    assertThatThrownBy(() -> IpiHaltSettings.of(0, Placement.SAME_CPU, 10, -5, DEADLINE))
        .hasMessage("warmupRoundTrips: -5, expected 0-10000000");
    assertThatThrownBy(() -> IpiHaltSettings.of(0, Placement.SAME_CPU, 10, 0, Duration.ZERO))
        .hasMessage("deadline: PT0S, expected > 0");
  }

  @Test
  void differentCpusNeedsTwoAllowedCpus() {
    assertThat(Placement.DIFFERENT_CPUS.cpus(List.of(2, 5))).containsExactly(2, 5);
    assertThat(Placement.SAME_CPU.cpus(List.of(3))).containsExactly(3, 3);
    assertThatThrownBy(() -> Placement.DIFFERENT_CPUS.cpus(List.of(0)))
        .hasMessage("placement different: needs 2 host CPUs, this process may use [0]");
  }

  @Test
  void runWithoutKvmDeviceIsRefusedWithTheReason(@TempDir Path dir) {
    Path missing = dir.resolve("kvm");
    IpiHaltRun run = new IpiHaltRun(new IpiHaltSettings(OptionalLong.of(0), Placement.SAME_CPU,
        10, 0, DEADLINE, missing));
    assertThatThrownBy(() -> run.run(p -> { })).isInstanceOf(KvmException.class)
        .hasMessageContaining(missing + ": no such device: KVM is not available");
  }

  @Test
  void runOnSomethingThatIsNotKvmNamesTheIoctlAndErrno(@TempDir Path dir) throws Exception {
    Path notKvm = java.nio.file.Files.writeString(dir.resolve("kvm"), "");
    IpiHaltRun run = new IpiHaltRun(new IpiHaltSettings(OptionalLong.of(0), Placement.SAME_CPU,
        10, 0, DEADLINE, notKvm));
    assertThatThrownBy(() -> run.run(p -> { })).isInstanceOf(KvmException.class)
        .hasMessageStartingWith("ioctl(KVM_GET_API_VERSION) on " + notKvm + " fd ")
        .hasMessageContaining("errno 25 (ENOTTY)");
  }
}

package dev.kvmmp.probe.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvmmp.probe.discovery.QemuProcesses;
import dev.kvmmp.probe.qmp.QemuVm;
import dev.kvmmp.proto.v1.HostSample;
import dev.kvmmp.proto.v1.SampleKind;
import dev.kvmmp.proto.v1.VmCounters;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Samples of a real QEMU/KVM VM on this host, as it runs and after it is gone. */
class HostSamplerIT {

  @Test
  void followsARealVmNumbersItsSamplesAndCarriesOnWhenTheVmGoes() throws Exception {
    Assumptions.assumeTrue(Files.exists(Path.of("/dev/kvm")), "no /dev/kvm");
    try (HostSampler sampler = new HostSampler(new QemuProcesses(Path.of("/proc")), "test-host",
        "vmx", Clock.systemUTC())) {
      HostSample first;
      HostSample second;
      String uuid;
      try (QemuVm vm = QemuVm.start()) {
        uuid = vm.uuid();
        first = sampler.sample(SampleKind.SAMPLE_KIND_WINDOW_START, "r-1");
        Thread.sleep(1_000);
        second = sampler.sample(SampleKind.SAMPLE_KIND_WINDOW_END, "r-1");
      }
      HostSample afterwards = sampler.sample(SampleKind.SAMPLE_KIND_PERIODIC, "");

      assertThat(second.getSequence()).isEqualTo(first.getSequence() + 1);
      assertThat(afterwards.getSequence()).isEqualTo(second.getSequence() + 1);
      assertThat(second.getMonotonicNs() - first.getMonotonicNs()).isGreaterThan(900_000_000L);
      assertThat(second.getRunId()).isEqualTo("r-1");
      VmCounters before = of(first, uuid).orElseThrow();
      VmCounters after = of(second, uuid).orElseThrow();
      assertThat(after.getSource()).isEqualTo("qmp");
      assertThat(after.getStatsOrThrow("exits")).isGreaterThan(before.getStatsOrThrow("exits"));
      assertThat(after.getEventsOrThrow("kvm:kvm_vcpu_wakeup/waited"))
          .isGreaterThanOrEqualTo(before.getEventsOrThrow("kvm:kvm_vcpu_wakeup/waited"));
      assertThat(after.getExitsByReasonCount()).as("exit reasons counted or named missing")
          .isGreaterThan(0);
      assertThat(of(afterwards, uuid)).as("a VM that is gone is no longer sampled").isEmpty();
    }
  }

  private static Optional<VmCounters> of(HostSample sample, String uuid) {
    return sample.getVmsList().stream().filter(v -> v.getVmIdentity().equals(uuid)).findFirst();
  }
}

package dev.kvmmp.worker.facts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.kvmmp.proto.v1.GuestFacts;
import dev.kvmmp.proto.v1.KnobValue;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GuestFactsReaderTest {

  @Test
  void readsCapturedFirecrackerGuest() {
    GuestFacts facts = readFixture("firecracker-6.18");

    assertThat(facts.getVcpus()).isEqualTo(2);
    assertThat(facts.getCpuModel()).isEqualTo("Intel(R) Xeon(R) Processor");
    assertThat(facts.getCpuVendor()).isEqualTo("GenuineIntel");
    assertThat(facts.getCpuFamily()).isEqualTo(6);
    assertThat(facts.getCpuModelNumber()).isEqualTo(167);
    assertThat(facts.getCpuStepping()).isEqualTo(1);
    assertThat(facts.getMicrocode()).isEqualTo("0x1");
    assertThat(facts.getCpuFlagsList()).contains("x2apic", "tsc_deadline_timer", "hypervisor");
    assertThat(facts.getKernelRelease()).isEqualTo("6.18.44-fc-v769");
    assertThat(facts.getKernelCmdline()).startsWith("mitigations=auto").endsWith("--auth-required");
    assertThat(facts.getUnderHypervisor()).isTrue();
    assertThat(facts.getHypervisor()).isEqualTo("KVM");
    // From proc/config.gz: CONFIG_NO_HZ_IDLE=y, no nohz options on the command line.
    assertThat(facts.getTickMode()).isEqualTo("idle");
    assertThat(facts.getNohzFullCpus()).isEmpty();
    assertThat(facts.getIdleParam()).isEmpty();
    assertThat(facts.getCpuidleDriver()).isEqualTo("haltpoll");
    assertThat(facts.getCpuidleGovernor()).isEqualTo("haltpoll");
    assertThat(facts.getCpuidleStatesList()).containsExactly("POLL", "haltpoll idle");
    assertThat(facts.getHaltpollParamsMap()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "guest_halt_poll_allow_shrink", "Y",
        "guest_halt_poll_grow", "2",
        "guest_halt_poll_grow_start", "50000",
        "guest_halt_poll_ns", "0",
        "guest_halt_poll_shrink", "2"));
    // The fixture has no disable files or available_governors: only these are knobs.
    assertThat(facts.getGuestKnobsList()).extracting(KnobValue::getName, KnobValue::getValue)
        .containsExactly(
            tuple("guest_halt_poll_ns", "0"),
            tuple("guest_halt_poll_grow", "2"),
            tuple("guest_halt_poll_grow_start", "50000"),
            tuple("guest_halt_poll_shrink", "2"),
            tuple("guest_halt_poll_allow_shrink", "Y"),
            tuple("cpuidle_governor", "haltpoll"));
    assertThat(facts.getClocksource()).isEqualTo("tsc");
    assertThat(facts.getHostname()).isEqualTo("fixture-vm");
    assertThat(facts.getVmIdentitySource()).isEqualTo("machine-id");
    assertThat(facts.getVmIdentity()).isEqualTo("0123456789abcdef0123456789abcdef");
    assertThat(facts.getPvFeaturesList()).containsExactly(
        "kvmclock", "pv-spinlocks", "pv-ipi", "pv-sched-yield", "pv-tlb-flush", "pv-eoi");
  }

  @Test
  void readsPeriodicTickFromNohzOffEvenOnTicklessKernel() {
    GuestFacts facts = readFixture("periodic-nohz-off");

    assertThat(facts.getVcpus()).isEqualTo(4);
    assertThat(facts.getCpuModel()).isEqualTo("Intel Xeon Processor (Cascadelake)");
    assertThat(facts.getCpuFlagsList()).contains("x2apic", "tsc_deadline_timer");
    assertThat(facts.getKernelRelease()).isEqualTo("5.15.0-91-generic");
    assertThat(facts.getTickMode()).isEqualTo("periodic");
    assertThat(facts.getNohzFullCpus()).isEmpty();
    assertThat(facts.getCpuidleDriver()).isEqualTo("acpi_idle");
    assertThat(facts.getCpuidleGovernor()).isEqualTo("menu");
    assertThat(facts.getCpuidleStatesList()).containsExactly("POLL", "C1");
    assertThat(facts.getHaltpollParamsMap()).isEmpty();
    assertThat(facts.getGuestKnobsList()).extracting(KnobValue::getName)
        .as("current_governor_ro only; no disable files in the fixture")
        .containsExactly("cpuidle_governor");
    assertThat(facts.getGuestKnobsList().get(0).getWritable()).isFalse();
    assertThat(facts.getClocksource()).isEqualTo("kvm-clock");
    assertThat(facts.getVmIdentitySource()).isEqualTo("smbios");
    assertThat(facts.getVmIdentity()).isEqualTo("4c4c4544-0000-1111-2222-333344445555");
    assertThat(facts.getHypervisor()).isEqualTo("KVM");
    assertThat(facts.getPvFeaturesList()).containsExactly("kvmclock", "pv-ipi");
  }

  @Test
  void readsNohzFullCpusAndFallsBackWhereFilesAreMissing() {
    GuestFacts facts = readFixture("nohz-full");

    assertThat(facts.getVcpus()).as("from proc/cpuinfo: no online file").isEqualTo(4);
    assertThat(facts.getCpuModel()).isEqualTo("AMD EPYC-Milan Processor");
    assertThat(facts.getCpuFlagsList()).contains("x2apic", "tsc_deadline_timer");
    assertThat(facts.getKernelRelease()).isEqualTo("6.8.0-45-generic");
    assertThat(facts.getTickMode()).isEqualTo("full");
    assertThat(facts.getNohzFullCpus()).isEqualTo("2-3");
    assertThat(facts.getIdleParam()).isEqualTo("poll");
    assertThat(facts.getCpuidleDriver()).isEqualTo("none");
    assertThat(facts.getCpuidleGovernor()).isEqualTo("menu");
    assertThat(facts.getCpuidleStatesList()).isEmpty();
    assertThat(facts.getHaltpollParamsMap()).isEmpty();
    assertThat(facts.getClocksource()).isEqualTo("tsc");
    assertThat(facts.getVmIdentitySource()).as("all-zero UUID, no machine-id").isEqualTo("hostname");
    assertThat(facts.getVmIdentity()).isEqualTo("nohz-full-vm");
    assertThat(facts.getUnderHypervisor()).isTrue();
    assertThat(facts.getHypervisor()).as("no boot log").isEqualTo("unknown");
    assertThat(facts.getPvFeaturesList()).isEmpty();
  }

  @Test
  void emptyRootGivesDefaultsInsteadOfThrowing() {
    GuestFacts facts = new GuestFactsReader(Path.of("/nonexistent-kvmmp-root"), List::of).read();

    assertThat(facts.getVcpus()).isZero();
    assertThat(facts.getKernelRelease()).isEmpty();
    assertThat(facts.getUnderHypervisor()).isFalse();
    assertThat(facts.getHypervisor()).isEmpty();
    assertThat(facts.getTickMode()).isEqualTo("unknown");
    assertThat(facts.getVmIdentitySource()).isEmpty();
  }

  private static GuestFacts readFixture(String name) {
    Path root = fixture(name);
    return new GuestFactsReader(root, new FileBootLog(root.resolve("dmesg.txt"))).read();
  }

  private static Path fixture(String name) {
    try {
      return Path.of(GuestFactsReaderTest.class.getResource("/facts/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("fixture " + name + ": " + e.getMessage(), e);
    }
  }
}

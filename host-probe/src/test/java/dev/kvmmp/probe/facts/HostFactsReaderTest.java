package dev.kvmmp.probe.facts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvmmp.proto.v1.HostFacts;
import dev.kvmmp.proto.v1.KnobValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostFactsReaderTest {

  @TempDir
  Path tmp;

  @Test
  void readsAClassicIntelHostWithWritableKnobsAndTracefs() throws IOException {
    Path root = HostFactsFixture.copy("classic-intel-host", tmp, "rw-r--r--");

    HostFacts facts = new HostFactsReader(root).read();

    assertThat(facts.getHostId()).isEqualTo("5f1c0a9e2b7d4c6e8a3b1d2f4e6a8c0b");
    assertThat(facts.getHostname()).isEqualTo("kvm-host-07");
    assertThat(facts.getCpuVendor()).isEqualTo("GenuineIntel");
    assertThat(facts.getCpuModel()).isEqualTo("Intel(R) Xeon(R) CPU E5-2690 v2 @ 3.00GHz");
    assertThat(facts.getCpuFamily()).isEqualTo(6);
    assertThat(facts.getCpuModelNumber()).isEqualTo(62);
    assertThat(facts.getCpuStepping()).isEqualTo(4);
    assertThat(facts.getCpuGeneration()).isEqualTo("ivybridge");
    assertThat(facts.getMicrocode()).isEqualTo("0x42e");
    assertThat(facts.getCpus()).isEqualTo(40);
    assertThat(facts.getSmtActive()).isTrue();
    assertThat(facts.getKernelRelease()).isEqualTo("5.10.0-28-amd64");
    assertThat(facts.getKernelCmdline()).startsWith("BOOT_IMAGE=").contains("nohz=off");
    assertThat(facts.getLockdown()).isEqualTo("none");
    // The config says NO_HZ_IDLE, but nohz=off on the command line wins.
    assertThat(facts.getTickMode()).isEqualTo("periodic");
    assertThat(facts.getKvmParamsList()).extracting(KnobValue::getName).containsExactly(
        "kvm.halt_poll_ns", "kvm.halt_poll_ns_grow", "kvm.halt_poll_ns_grow_start",
        "kvm.halt_poll_ns_shrink", "kvm.ignore_msrs", "kvm.lapic_timer_advance_ns",
        "kvm.min_timer_period_us", "kvm_intel.enable_apicv", "kvm_intel.ept", "kvm_intel.nested",
        "kvm_intel.ple_gap", "kvm_intel.ple_window", "kvm_intel.preemption_timer",
        "kvm_intel.vpid");
    assertThat(facts.getKvmParamsList()).allMatch(KnobValue::getWritable);
    assertThat(facts.getKvmParamsList()).contains(
        knob("kvm.halt_poll_ns", "200000", true),
        knob("kvm.lapic_timer_advance_ns", "-1", true),
        knob("kvm_intel.enable_apicv", "Y", true));
    assertThat(facts.getSourcesList()).isEmpty();
    // Event directories only: the enable and filter files beside them are not events.
    assertThat(facts.getTracepointsList()).containsExactly("kvm_apic_ipi", "kvm_entry",
        "kvm_exit", "kvm_halt_poll_ns", "kvm_msr", "kvm_vcpu_wakeup");
  }

  @Test
  void readsThisMachineAsCaptured() throws IOException {
    Path root = HostFactsFixture.copy("this-machine", tmp, "r--r--r--");

    HostFacts facts = new HostFactsReader(root).read();

    assertThat(facts.getHostId()).isEqualTo("0123456789abcdef0123456789abcdef");
    assertThat(facts.getHostname()).isEqualTo("this-machine");
    assertThat(facts.getCpuVendor()).isEqualTo("GenuineIntel");
    assertThat(facts.getCpuModel()).isEqualTo("Intel(R) Xeon(R) Processor");
    assertThat(facts.getCpuFamily()).isEqualTo(6);
    assertThat(facts.getCpuModelNumber()).isEqualTo(167);
    assertThat(facts.getCpuStepping()).isEqualTo(1);
    assertThat(facts.getCpuGeneration()).isEqualTo("rocketlake");
    assertThat(facts.getMicrocode()).isEqualTo("0x1");
    assertThat(facts.getCpus()).isEqualTo(2);
    assertThat(facts.getSmtActive()).isFalse();
    assertThat(facts.getKernelRelease()).isEqualTo("6.18.44-fc-v769");
    assertThat(facts.getKernelCmdline()).contains("nested_pvm=1");
    // No securityfs here: the level comes from CONFIG_LOCK_DOWN_KERNEL_FORCE_INTEGRITY.
    assertThat(facts.getLockdown()).isEqualTo("integrity");
    // From proc/config.gz: there is no boot/ on this machine.
    assertThat(facts.getTickMode()).isEqualTo("idle");
    assertThat(facts.getKvmParamsList()).hasSize(44)
        .contains(knob("kvm.halt_poll_ns", "200000", false),
            knob("kvm.halt_poll_ns_shrink", "2", false),
            knob("kvm_pvm.pvm_native", "Y", false))
        .noneMatch(KnobValue::getWritable);
    assertThat(facts.getSourcesList()).isEmpty();
    assertThat(facts.getTracepointsList()).isEmpty();
  }

  @Test
  void leavesFactsEmptyWhenNothingIsReadable() {
    HostFacts facts = new HostFactsReader(tmp.resolve("no-such-root")).read();

    assertThat(facts.getHostId()).isEmpty();
    assertThat(facts.getCpuVendor()).isEmpty();
    assertThat(facts.getCpus()).isZero();
    assertThat(facts.getCpuGeneration()).isEqualTo(CpuGenerations.UNKNOWN);
    assertThat(facts.getLockdown()).isEmpty();
    assertThat(facts.getTickMode()).isEqualTo("unknown");
    assertThat(facts.getKvmParamsList()).isEmpty();
    assertThat(facts.getTracepointsList()).isEmpty();
  }

  @Test
  void lockdownFloorIgnoresInitArgumentsAndNeverClaimsNone() throws IOException {
    Path root = HostFactsFixture.copy("classic-intel-host", tmp, "rw-r--r--");
    Files.delete(root.resolve("sys/kernel/security/lockdown"));
    Path cmdline = root.resolve("proc/cmdline");

    Files.writeString(cmdline, "ro quiet -- lockdown=confidentiality\n");
    assertThat(new HostFactsReader(root).read().getLockdown()).isEmpty();

    Files.writeString(cmdline, "ro lockdown=confidentiality quiet\n");
    assertThat(new HostFactsReader(root).read().getLockdown()).isEqualTo("confidentiality");
  }

  @Test
  void readOnlyParameterIsNotWritable() throws IOException {
    Path root = HostFactsFixture.copy("classic-intel-host", tmp, "rw-r--r--");
    Files.setPosixFilePermissions(root.resolve("sys/module/kvm/parameters/halt_poll_ns"),
        PosixFilePermissions.fromString("r--r--r--"));

    assertThat(new HostFactsReader(root).read().getKvmParamsList())
        .contains(knob("kvm.halt_poll_ns", "200000", false),
            knob("kvm.halt_poll_ns_grow", "2", true));
  }

  private static KnobValue knob(String name, String value, boolean writable) {
    return KnobValue.newBuilder().setName(name).setValue(value).setWritable(writable).build();
  }
}

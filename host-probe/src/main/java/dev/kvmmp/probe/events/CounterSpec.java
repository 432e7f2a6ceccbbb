package dev.kvmmp.probe.events;

import dev.kvmmp.proto.v1.ExitCount;
import dev.kvmmp.proto.v1.MsrWriteCount;
import dev.kvmmp.proto.v1.VmCounters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ObjLongConsumer;

/**
 * One kvm tracepoint counter to open on every vCPU thread: the tracepoint, its filter, a label
 * for errors, and where its sum over threads goes in {@link VmCounters}.
 */
record CounterSpec(String event, String filter, String label,
    ObjLongConsumer<VmCounters.Builder> sink) {

  static final String SYSTEM = "kvm";

  /** The MSRs whose writes explain timer and IPI cost, as {@code kvm:kvm_msr} reports them. */
  private static final Map<Integer, String> MSRS = Map.of(
      0x830, "ICR", 0x838, "TMICT", 0x6e0, "TSC_DEADLINE", 0x80b, "EOI");
  private static final List<Integer> MSR_ORDER = List.of(0x830, 0x838, 0x6e0, 0x80b);

  /** {@code MsrWriteCount.name} of the count of every MSR write (msr 0). */
  static final String ALL_MSRS = "ALL";

  CounterSpec {
    label = SYSTEM + ":" + event + (filter == null ? "" : " [" + filter + "]")
        + (label.isEmpty() ? "" : " (" + label + ")");
  }

  /** Every counter for a VM on {@code isa} ("vmx" or "svm"). */
  static List<CounterSpec> forIsa(String isa) {
    List<CounterSpec> specs = new ArrayList<>();
    // One counter per reason with a filter, as kvm_stat does: the kernel counts, no streaming.
    ExitReasons.of(isa).forEach((reason, name) -> specs.add(new CounterSpec("kvm_exit",
        "exit_reason==" + reason, name, (b, n) -> b.addExitsByReason(ExitCount.newBuilder()
            .setReason(reason).setName(name).setIsa(isa).setCount(n)))));
    for (int msr : MSR_ORDER) {
      String name = MSRS.get(msr);
      specs.add(new CounterSpec("kvm_msr", "write==1 && ecx==0x" + Integer.toHexString(msr), name,
          (b, n) -> b.addMsrWrites(msrWrite(msr, name, n))));
    }
    specs.add(new CounterSpec("kvm_msr", "write==1", ALL_MSRS,
        (b, n) -> b.addMsrWrites(msrWrite(0, ALL_MSRS, n))));
    specs.add(event("kvm_apic_ipi", null, "kvm:kvm_apic_ipi"));
    // waited==0: the wakeup came while KVM was still polling, so the vCPU thread never slept.
    specs.add(event("kvm_vcpu_wakeup", "waited==1", "kvm:kvm_vcpu_wakeup/waited"));
    specs.add(event("kvm_vcpu_wakeup", "waited==0", "kvm:kvm_vcpu_wakeup/polled"));
    specs.add(event("kvm_halt_poll_ns", null, "kvm:kvm_halt_poll_ns"));
    return specs;
  }

  private static CounterSpec event(String event, String filter, String key) {
    return new CounterSpec(event, filter, "", (b, n) -> b.putEvents(key, n));
  }

  private static MsrWriteCount msrWrite(int msr, String name, long count) {
    return MsrWriteCount.newBuilder().setMsr(msr).setName(name).setCount(count).build();
  }
}

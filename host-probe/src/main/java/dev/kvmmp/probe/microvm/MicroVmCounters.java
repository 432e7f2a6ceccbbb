package dev.kvmmp.probe.microvm;

import com.sun.jna.Memory;
import dev.kvmmp.probe.events.KvmEventCounters;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where the micro-VM's counters come from: each vCPU's binary stats fd (opened before the vCPU
 * first runs: opening takes the vCPU's lock, which KVM_RUN holds) and the kvm tracepoints
 * counted on the vCPU threads. What is unavailable is added to the run's notes, with why.
 */
final class MicroVmCounters implements AutoCloseable {

  private final List<VcpuStats> stats;
  private final String isa;
  private final List<String> notes;
  private Optional<KvmEventCounters> events = Optional.empty();

  private MicroVmCounters(List<VcpuStats> stats, String isa, List<String> notes) {
    this.stats = stats;
    this.isa = isa;
    this.notes = notes;
  }

  static MicroVmCounters open(KvmDevice kvm, List<Vcpu> vcpus, List<String> notes)
      throws KvmException {
    List<VcpuStats> stats = new ArrayList<>();
    if (kvm.checkExtension(KvmIoctl.CAP_BINARY_STATS_FD) > 0) {
      try {
        for (Vcpu vcpu : vcpus) {
          stats.add(VcpuStats.open(vcpu.openStatsFd(), "vcpu " + vcpu.id()));
        }
      } catch (KvmException e) {
        stats.forEach(VcpuStats::close);
        throw e;
      }
    } else {
      notes.add("no KVM_CAP_BINARY_STATS_FD (Linux < 5.14): no per-vCPU KVM stats");
    }
    return new MicroVmCounters(stats, isaOf(kvm.supportedCpuid()), notes);
  }

  /** "svm" when the CPUID vendor (leaf 0) is AMD, else "vmx": for naming exit reasons. */
  private static String isaOf(Memory cpuid) {
    int entries = cpuid.getInt(0);
    for (int i = 0; i < entries; i++) {
      long at = 8 + 40L * i;
      if (cpuid.getInt(at) == 0) {
        return cpuid.getInt(at + 16) == 0x68747541 ? "svm" : "vmx"; // ebx "Auth"
      }
    }
    return "vmx";
  }

  /** Starts counting kvm tracepoints on the vCPU threads; what cannot be counted goes to notes. */
  void countEvents(List<Integer> threadIds) {
    try {
      KvmEventCounters opened = KvmEventCounters.open(threadIds, isa);
      opened.missing().forEach(m -> notes.add("tracepoint " + m.counter() + ": " + m.reason()));
      events = Optional.of(opened);
    } catch (IllegalArgumentException e) {
      notes.add("kvm tracepoint counts: " + e.getMessage());
    }
  }

  VmCounterSnapshot snapshot() throws KvmException {
    return VmCounterSnapshot.take(stats, events);
  }

  @Override
  public void close() {
    events.ifPresent(KvmEventCounters::close);
    stats.forEach(VcpuStats::close);
  }
}

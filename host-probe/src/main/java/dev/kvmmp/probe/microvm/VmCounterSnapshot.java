package dev.kvmmp.probe.microvm;

import dev.kvmmp.perf.PerfException;
import dev.kvmmp.probe.events.KvmEventCounters;
import dev.kvmmp.proto.v1.ExitCount;
import dev.kvmmp.proto.v1.MsrWriteCount;
import dev.kvmmp.proto.v1.VmCounters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The VM's counters at one instant: each vCPU's binary stats and the kvm tracepoint counts of
 * its threads (flattened: {@code kvm_exit:HLT}, {@code kvm_msr:ICR}, {@code kvm:kvm_apic_ipi}).
 */
record VmCounterSnapshot(List<Map<String, Long>> stats, Map<String, Long> events) {

  static VmCounterSnapshot take(List<VcpuStats> vcpuStats, Optional<KvmEventCounters> counters)
      throws KvmException {
    List<Map<String, Long>> stats = new ArrayList<>();
    for (VcpuStats one : vcpuStats) {
      stats.add(one.read());
    }
    Map<String, Long> events = new LinkedHashMap<>();
    if (counters.isPresent()) {
      VmCounters.Builder read = VmCounters.newBuilder();
      try {
        counters.get().fill(read);
      } catch (PerfException e) {
        throw new KvmException("reading kvm tracepoint counters: " + e.getMessage());
      }
      for (ExitCount exit : read.getExitsByReasonList()) {
        events.put("kvm_exit:" + exit.getName(), exit.getCount());
      }
      for (MsrWriteCount msr : read.getMsrWritesList()) {
        events.put("kvm_msr:" + msr.getName(), msr.getCount());
      }
      events.putAll(read.getEventsMap());
    }
    return new VmCounterSnapshot(stats, events);
  }

  /** What changed from {@code earlier} to this. */
  VmCounterSnapshot minus(VmCounterSnapshot earlier) {
    List<Map<String, Long>> stats = new ArrayList<>();
    for (int v = 0; v < this.stats.size(); v++) {
      stats.add(delta(this.stats.get(v), earlier.stats.get(v)));
    }
    return new VmCounterSnapshot(stats, delta(events, earlier.events));
  }

  private static Map<String, Long> delta(Map<String, Long> later, Map<String, Long> earlier) {
    Map<String, Long> delta = new LinkedHashMap<>();
    later.forEach((name, value) -> delta.put(name, value - earlier.getOrDefault(name, 0L)));
    return delta;
  }
}

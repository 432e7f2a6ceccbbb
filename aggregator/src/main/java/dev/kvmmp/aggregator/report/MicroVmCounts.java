package dev.kvmmp.aggregator.report;

import dev.kvmmp.proto.v1.ExitCount;
import dev.kvmmp.proto.v1.RunResult;
import dev.kvmmp.proto.v1.VmCounters;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * A micro-VM run's (ipi_halt) counts over exactly its measured round trips, as the host-probe
 * that ran the VM put them in the result ({@code host_vcpu_counters}): each vCPU's binary stats
 * (source "stats-fd", already deltas), summed here over the vCPUs, and the kvm tracepoint counts
 * of the vCPU threads (source "tracepoints": {@code kvm_msr:ICR}, {@code kvm_exit:HLT}, ...).
 * There are no snapshots to subtract and no other VM to blame: the probe counted the VM itself.
 */
final class MicroVmCounts implements WindowCounts {

  static final String STATS_SOURCE = "stats-fd";
  static final String TRACEPOINTS_SOURCE = "tracepoints";
  private static final String MSR_PREFIX = "kvm_msr:";
  private static final String EXIT_PREFIX = "kvm_exit:";

  private final List<VmCounters> vcpus;
  /** Empty when the probe could count no kvm tracepoint. */
  private final Optional<Map<String, Long>> events;
  private final List<String> notes;
  private final Findings findings;

  private MicroVmCounts(List<VmCounters> vcpus, Optional<Map<String, Long>> events,
      List<String> notes, Findings findings) {
    this.vcpus = vcpus;
    this.events = events;
    this.notes = notes;
    this.findings = findings;
  }

  /**
   * The counts of {@code result}, or empty (and why in {@code findings}) when it has none, or no
   * window to rate them over.
   */
  static Optional<MicroVmCounts> of(RunResult result, Findings findings) {
    if (result.getHostVcpuCountersCount() == 0) {
      result.getNotesList().forEach(note -> findings.missing("host: " + note));
      findings.missing("host: the micro-VM result has no counters (host_vcpu_counters is empty)");
      return Optional.empty();
    }
    if (result.getWindowNs() <= 0) {
      findings.missing("host: the micro-VM result has no window (window_ns "
          + Long.toUnsignedString(result.getWindowNs()) + "): no host figures");
      return Optional.empty();
    }
    List<VmCounters> vcpus = result.getHostVcpuCountersList().stream()
        .filter(c -> c.getSource().equals(STATS_SOURCE)).toList();
    Optional<Map<String, Long>> events = result.getHostVcpuCountersList().stream()
        .filter(c -> c.getSource().equals(TRACEPOINTS_SOURCE)).findFirst()
        .map(VmCounters::getEventsMap);
    return Optional.of(new MicroVmCounts(vcpus, events, result.getNotesList(), findings));
  }

  @Override
  public String source() {
    return vcpus.isEmpty() ? TRACEPOINTS_SOURCE : STATS_SOURCE;
  }

  /** The run's notes (a capability or tracepoint the host lacks) and the absent sources. */
  @Override
  public void reportSourceGaps() {
    notes.forEach(note -> findings.missing("host: " + note));
    if (vcpus.isEmpty()) {
      findings.missing("host: no per-vCPU KVM stats (" + STATS_SOURCE + ") in the micro-VM result");
    }
    if (events.isEmpty()) {
      findings.missing("host: no kvm tracepoint counts (" + TRACEPOINTS_SOURCE
          + ") in the micro-VM result");
    }
  }

  /** Summed over the vCPUs; missing when any vCPU lacks it: a part would pass for the whole. */
  @Override
  public OptionalLong stat(String name) {
    if (vcpus.isEmpty()) {
      findings.missing("host: stat '" + name + "': no per-vCPU stats");
      return OptionalLong.empty();
    }
    long sum = 0;
    for (VmCounters vcpu : vcpus) {
      Long value = vcpu.getStatsMap().get(name);
      if (value == null) {
        findings.missing("host: stat '" + name + "' is not in " + vcpu.getVmIdentity()
            + "'s stats");
        return OptionalLong.empty();
      }
      sum += value;
    }
    return OptionalLong.of(sum);
  }

  @Override
  public OptionalLong msrWrites(int msr, String name) {
    String event = MSR_PREFIX + name;
    Long count = events.map(e -> e.get(event)).orElse(null);
    if (count == null) {
      findings.missing("host: MSR writes 0x" + Integer.toHexString(msr) + " (" + name
          + "): " + event + " was not counted");
      return OptionalLong.empty();
    }
    return OptionalLong.of(count);
  }

  /** The tracepoint counts name reasons only: no number, no ISA. */
  @Override
  public List<ExitCount> exitsByReason() {
    List<ExitCount> reasons = new ArrayList<>();
    // By name: the map's order is the wire's, which nothing promises.
    events.ifPresent(e -> new TreeMap<>(e).forEach((event, count) -> {
      if (event.startsWith(EXIT_PREFIX)) {
        reasons.add(ExitCount.newBuilder().setName(event.substring(EXIT_PREFIX.length()))
            .setCount(count).build());
      }
    }));
    return reasons;
  }
}

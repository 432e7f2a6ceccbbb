package dev.kvmmp.aggregator.report;

import dev.kvmmp.proto.v1.ExitCount;
import dev.kvmmp.proto.v1.HostSample;
import dev.kvmmp.proto.v1.MsrWriteCount;
import dev.kvmmp.proto.v1.VmCounters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Deltas of one VM's cumulative counters between two snapshots. A counter absent from either
 * snapshot is named as missing, never taken as 0; one that went backwards (the VM restarted) is
 * flagged "counter_reset" and gives no delta, never a negative one.
 */
final class CounterDeltas implements WindowCounts {

  private final Bracket.Pair pair;
  private final VmCounters start;
  private final VmCounters end;
  private final String what;
  private final Findings findings;

  private CounterDeltas(Bracket.Pair pair, VmCounters start, VmCounters end, String what,
      Findings findings) {
    this.pair = pair;
    this.start = start;
    this.end = end;
    this.what = what;
    this.findings = findings;
  }

  /**
   * The deltas of VM {@code vmIdentity} over {@code pair}, or empty when either snapshot lacks
   * the VM or its VMM process changed in between (a restart: every counter started again).
   *
   * @param what how missing entries start, e.g. "host"
   */
  static Optional<CounterDeltas> of(Bracket.Pair pair, String vmIdentity, String what,
      Findings findings) {
    Optional<VmCounters> start = vm(pair.start(), vmIdentity, what, findings);
    Optional<VmCounters> end = vm(pair.end(), vmIdentity, what, findings);
    if (start.isEmpty() || end.isEmpty()) {
      return Optional.empty();
    }
    int startPid = start.get().getVmmPid();
    int endPid = end.get().getVmmPid();
    if (startPid != 0 && endPid != 0 && startPid != endPid) {
      findings.noise("counter_reset", "VM " + vmIdentity + ": its VMM process changed from pid "
          + startPid + " to " + endPid + " between " + Bracket.kindName(pair.start()) + " and "
          + Bracket.kindName(pair.end()) + ": restarted, every counter started again");
      findings.missing(what + ": the VM restarted within the window: no counter deltas");
      return Optional.empty();
    }
    return Optional.of(new CounterDeltas(pair, start.get(), end.get(), what, findings));
  }

  private static Optional<VmCounters> vm(HostSample sample, String vmIdentity, String what,
      Findings findings) {
    Optional<VmCounters> vm = sample.getVmsList().stream()
        .filter(v -> v.getVmIdentity().equals(vmIdentity)).findFirst();
    if (vm.isEmpty()) {
      findings.missing(what + ": VM '" + vmIdentity + "' is not in the "
          + Bracket.kindName(sample) + " snapshot (sequence " + sample.getSequence() + ", "
          + sample.getVmsCount() + " VMs)");
    }
    return vm;
  }

  @Override
  public String source() {
    return end.getSource();
  }

  /** Names the start's and the end's own gaps (what their probe could not read) as missing. */
  @Override
  public void reportSourceGaps() {
    start.getMissingList().forEach(m -> findings.missing(what + ": " + m));
    end.getMissingList().forEach(m -> findings.missing(what + ": " + m));
  }

  @Override
  public OptionalLong stat(String name) {
    return delta("stat '" + name + "'", start.getStatsMap().get(name), end.getStatsMap().get(name));
  }

  @Override
  public OptionalLong msrWrites(int msr, String name) {
    return delta("MSR writes 0x" + Integer.toHexString(msr) + " (" + name + ")",
        msrCount(start, msr), msrCount(end, msr));
  }

  private static Long msrCount(VmCounters vm, int msr) {
    return vm.getMsrWritesList().stream().filter(m -> m.getMsr() == msr)
        .map(MsrWriteCount::getCount).findFirst().orElse(null);
  }

  /** The end snapshot's reasons, each with its delta since the start; a failed delta is left out. */
  @Override
  public List<ExitCount> exitsByReason() {
    Map<String, Long> atStart = new HashMap<>();
    start.getExitsByReasonList().forEach(e -> atStart.put(reasonKey(e), e.getCount()));
    List<ExitCount> reasons = new ArrayList<>();
    for (ExitCount reason : end.getExitsByReasonList()) {
      delta("exits by reason " + reason.getName(), atStart.get(reasonKey(reason)),
          reason.getCount()).ifPresent(d -> reasons.add(reason.toBuilder().setCount(d).build()));
    }
    return reasons;
  }

  private static String reasonKey(ExitCount e) {
    return e.getIsa() + "/" + e.getReason();
  }

  /**
   * The delta of {@code counter}, given its value in the start and the end snapshot (null when
   * the snapshot lacks it).
   */
  OptionalLong delta(String counter, Long startValue, Long endValue) {
    if (startValue == null || endValue == null) {
      findings.missing(what + ": " + counter + " is not in the "
          + Bracket.kindName(startValue == null ? pair.start() : pair.end()) + " snapshot");
      return OptionalLong.empty();
    }
    // Counters are uint64: compare them as such.
    if (Long.compareUnsigned(endValue, startValue) < 0) {
      findings.noise("counter_reset", counter + " went from " + Long.toUnsignedString(startValue)
          + " at " + Bracket.kindName(pair.start()) + " down to " + Long.toUnsignedString(endValue)
          + " at " + Bracket.kindName(pair.end()) + " (VM restarted?)");
      findings.missing(what + ": " + counter + " went backwards: no figure");
      return OptionalLong.empty();
    }
    return OptionalLong.of(endValue - startValue);
  }
}

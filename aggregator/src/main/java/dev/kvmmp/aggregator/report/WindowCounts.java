package dev.kvmmp.aggregator.report;

import dev.kvmmp.proto.v1.ExitCount;
import java.util.List;
import java.util.OptionalLong;

/**
 * A VM's counter changes over a host window, however they were taken: deltas between a probe's
 * bracketing snapshots ({@link CounterDeltas}) or a micro-VM's own counts over its round trips
 * ({@link MicroVmCounts}). A count the source lacks is named as missing by it, never given as 0.
 */
interface WindowCounts {

  /** Where the counts came from: "qmp", "debugfs" or "stats-fd". */
  String source();

  /** Names what the source itself could not read as missing. */
  void reportSourceGaps();

  /** The change of KVM stat {@code name} (exits, halt_exits, ...), summed over the vCPUs. */
  OptionalLong stat(String name);

  /**
   * The MSR writes of {@code msr} (0: every MSR) counted by kvm:kvm_msr, {@code name} as the
   * probe names it ("ICR", "TMICT", "TSC_DEADLINE", "ALL").
   */
  OptionalLong msrWrites(int msr, String name);

  /** Exits by reason, each with the window's change as its count; empty when not counted. */
  List<ExitCount> exitsByReason();
}

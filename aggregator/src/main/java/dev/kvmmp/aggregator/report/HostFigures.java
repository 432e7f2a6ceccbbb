package dev.kvmmp.aggregator.report;

import dev.kvmmp.proto.v1.ExitCount;
import dev.kvmmp.proto.v1.HostPerTransaction;
import dev.kvmmp.proto.v1.IdleBaseline;
import dev.kvmmp.proto.v1.PerTransaction;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.DoubleConsumer;

/**
 * The host side of a run report: the VM's counter deltas over the host window (WINDOW_START to
 * WINDOW_END, or a micro-VM's measured round trips), per transaction. A figure the counters
 * cannot give stays unset (0 in proto3) and is named in {@code missing}.
 */
final class HostFigures {

  static final int MSR_TMICT = 0x838;
  static final int MSR_TSC_DEADLINE = 0x6e0;
  static final int MSR_ICR = 0x830;
  /** The host-probe's count of every MSR write: msr 0, named "ALL". */
  static final int MSR_ALL = 0;

  private static final double NS_PER_SECOND = 1e9;

  /** The figures, and the window's ICR MSR writes when counted (to compare with the guest's). */
  record Host(HostPerTransaction perTransaction, OptionalLong icrWrites) {}

  private final WindowCounts deltas;
  private final double transactions;
  private final Findings findings;
  private OptionalLong icrWrites = OptionalLong.empty();

  private HostFigures(WindowCounts deltas, long transactions, Findings findings) {
    this.deltas = deltas;
    this.transactions = transactions;
    this.findings = findings;
  }

  /**
   * The figures over a host window of {@code windowNs} (> 0) for {@code transactions} (> 0), with
   * the exits of the idle baseline's rate taken off when there is one.
   */
  static Host of(WindowCounts deltas, long windowNs, long transactions,
      Optional<IdleBaseline> baseline, Findings findings) {
    HostFigures figures = new HostFigures(deltas, transactions, findings);
    return new Host(figures.build(windowNs, baseline), figures.icrWrites);
  }

  private HostPerTransaction build(long windowNs, Optional<IdleBaseline> baseline) {
    deltas.reportSourceGaps();
    HostPerTransaction.Builder host = HostPerTransaction.newBuilder()
        .setSource(deltas.source())
        .setWindowNs(windowNs);
    OptionalLong exits = deltas.stat("exits");
    perTransaction(exits, host::setExits);
    exitsByReason(host, exits);
    perTransaction(deltas.stat("halt_exits"), host::setHltExits);
    msrWrites(host);
    OptionalLong attempted = deltas.stat("halt_attempted_poll");
    OptionalLong successful = deltas.stat("halt_successful_poll");
    perTransaction(attempted, host::setHaltPollsAttempted);
    perTransaction(successful, host::setHaltPollsSuccessful);
    if (attempted.isPresent() && successful.isPresent() && attempted.getAsLong() > 0) {
      host.setPollSuccessRate(Math.min(1, successful.getAsLong() / (double) attempted.getAsLong()));
    }
    OptionalLong successNs = deltas.stat("halt_poll_success_ns");
    OptionalLong failNs = deltas.stat("halt_poll_fail_ns");
    perTransaction(successNs, host::setPollSuccessNs);
    perTransaction(failNs, host::setPollFailNs);
    perTransaction(deltas.stat("halt_wait_ns"), host::setWaitNs);
    perTransaction(deltas.stat("halt_wakeup"), host::setHaltWakeups);
    if (successNs.isPresent() && failNs.isPresent()) {
      host.setPollNsPerSecond((successNs.getAsLong() + failNs.getAsLong())
          * NS_PER_SECOND / windowNs);
    }
    if (baseline.isEmpty()) {
      findings.missing("host: exits above baseline: no idle baseline");
    } else if (exits.isPresent()) {
      double idleExits = baseline.get().getExitsPerSecond() * windowNs / NS_PER_SECOND;
      host.setExitsAboveBaseline(Math.max(0, exits.getAsLong() - idleExits) / transactions);
    }
    return host.build();
  }

  /**
   * Exits by reason, where the kernel counted them. A tracepoint that never fires (kvm:kvm_exit
   * on an emulated nested host) counts 0 of every reason while exits happen: that is a gap, not
   * a figure.
   */
  private void exitsByReason(HostPerTransaction.Builder host, OptionalLong exits) {
    List<ExitCount> byReason = deltas.exitsByReason();
    if (byReason.isEmpty()) {
      findings.missing("host: exits by reason: not counted for this VM");
      return;
    }
    host.setIsa(byReason.get(0).getIsa());
    List<PerTransaction> reasons = new ArrayList<>();
    long counted = 0;
    for (ExitCount reason : byReason) {
      counted += reason.getCount();
      reasons.add(PerTransaction.newBuilder().setName(reason.getName())
          .setCount(reason.getCount()).setPerTransaction(reason.getCount() / transactions)
          .build());
    }
    if (counted == 0 && exits.isPresent() && exits.getAsLong() > 0) {
      findings.missing("host: exits by reason: kvm:kvm_exit counted none of the window's "
          + exits.getAsLong() + " exits (the tracepoint did not fire)");
      return;
    }
    host.addAllExitsByReason(reasons);
  }

  /** Timer and ICR writes by MSR; "other" is every write less those three. */
  private void msrWrites(HostPerTransaction.Builder host) {
    OptionalLong tmict = deltas.msrWrites(MSR_TMICT, "TMICT");
    OptionalLong tscDeadline = deltas.msrWrites(MSR_TSC_DEADLINE, "TSC_DEADLINE");
    OptionalLong icr = deltas.msrWrites(MSR_ICR, "ICR");
    icrWrites = icr;
    OptionalLong all = deltas.msrWrites(MSR_ALL, "ALL");
    perTransaction(tmict, host::setMsrTmict);
    perTransaction(tscDeadline, host::setMsrTscDeadline);
    perTransaction(icr, host::setMsrIcr);
    if (all.isPresent() && tmict.isPresent() && tscDeadline.isPresent() && icr.isPresent()) {
      // Separate counters read one after another: the parts may exceed the whole by a few.
      long other = all.getAsLong() - tmict.getAsLong() - tscDeadline.getAsLong()
          - icr.getAsLong();
      host.setMsrOther(Math.max(0, other) / transactions);
    } else {
      findings.missing("host: MSR writes other: needs the ALL, TMICT, TSC_DEADLINE and ICR "
          + "counts");
    }
  }

  private void perTransaction(OptionalLong delta, DoubleConsumer setter) {
    delta.ifPresent(d -> setter.accept(d / transactions));
  }
}

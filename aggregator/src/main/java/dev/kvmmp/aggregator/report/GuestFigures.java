package dev.kvmmp.aggregator.report;

import dev.kvmmp.proto.v1.GuestDeltas;
import dev.kvmmp.proto.v1.GuestPerTransaction;
import dev.kvmmp.proto.v1.IdleStateDelta;
import dev.kvmmp.proto.v1.PerTransaction;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.DoubleConsumer;

/**
 * The guest side of a run report: the run's own exit attribution (the events the guest-worker
 * counts with perf tracepoints, named as it names them) and LOC/RES/CAL, per transaction.
 */
final class GuestFigures {

  static final String MSR_TSC_DEADLINE = "msr:write_msr/0x6e0";
  static final String MSR_TMICT = "msr:write_msr/0x838";
  static final String MSR_ICR = "msr:write_msr/0x830";
  /** Entries into idle state N, by the state's name; POLL is the one that does not halt. */
  static final String IDLE_PREFIX = "power:cpu_idle/";
  /** The cpuidle state that busy-polls instead of halting. */
  static final String POLL_STATE = "POLL";
  static final String IDLE_POLL = IDLE_PREFIX + POLL_STATE;
  static final List<String> IPI_SENDS = List.of("ipi:ipi_send_cpu", "ipi:ipi_send_cpumask");

  private final Map<String, Long> events;
  private final double transactions;
  private final Findings findings;

  private GuestFigures(GuestDeltas deltas, long transactions, Findings findings) {
    this.events = deltas.getEventsMap();
    this.transactions = transactions;
    this.findings = findings;
  }

  /**
   * The figures for {@code transactions} (> 0); {@code hostIcrWrites}, the host's ICR MSR writes
   * over its window, when it has them.
   */
  static GuestPerTransaction of(GuestDeltas deltas, long transactions, OptionalLong hostIcrWrites,
      Findings findings) {
    return new GuestFigures(deltas, transactions, findings).build(deltas, hostIcrWrites);
  }

  private GuestPerTransaction build(GuestDeltas deltas, OptionalLong hostIcrWrites) {
    deltas.getMissingEventsList().forEach(m -> findings.missing("guest: " + m));
    GuestPerTransaction.Builder guest = GuestPerTransaction.newBuilder();
    OptionalLong tscDeadline = event(MSR_TSC_DEADLINE);
    OptionalLong tmict = event(MSR_TMICT);
    if (tscDeadline.isPresent() && tmict.isPresent()) {
      guest.setTimerMsrWrites((tscDeadline.getAsLong() + tmict.getAsLong()) / transactions);
    } else {
      findings.missing("guest: timer MSR writes: " + MSR_TSC_DEADLINE + " and " + MSR_TMICT
          + " not both counted" + whyNotCounted(deltas, MSR_TSC_DEADLINE, MSR_TMICT));
    }
    OptionalLong icr = event(MSR_ICR);
    perTransaction(icr, guest::setIcrWrites, "ICR writes: " + MSR_ICR + " not counted"
        + whyNotCounted(deltas, MSR_ICR));
    perTransaction(haltEntries(deltas), guest::setHltEntries,
        "HLT entries: no cpuidle counters read and no " + IDLE_PREFIX + "* idle state counted"
            + whyNotCounted(deltas, IDLE_PREFIX));
    perTransaction(ipisSent(), guest::setIpisSent, "IPIs sent: none of " + IPI_SENDS
        + " counted");
    perTransaction(interrupts("LOC", deltas.getLocalTimerInterrupts()),
        guest::setLocalTimerInterrupts, "LOC went backwards: no figure");
    perTransaction(interrupts("RES", deltas.getRescheduleIpis()), guest::setRescheduleIpis,
        "RES went backwards: no figure");
    perTransaction(interrupts("CAL", deltas.getCallFunctionIpis()), guest::setCallFunctionIpis,
        "CAL went backwards: no figure");
    if (hostIcrWrites.isPresent() && icr.isPresent() && icr.getAsLong() > 0) {
      guest.setIcrHostOverGuest(hostIcrWrites.getAsLong() / (double) icr.getAsLong());
    }
    idleTime(deltas, guest);
    return guest.build();
  }

  /** Time in each cpuidle state; POLL's is what guest halt polling cost. */
  private void idleTime(GuestDeltas deltas, GuestPerTransaction.Builder guest) {
    if (deltas.getIdleStatesCount() == 0) {
      findings.missing("guest: POLL ns: the guest's cpuidle states were not read");
      return;
    }
    boolean poll = false;
    for (IdleStateDelta state : deltas.getIdleStatesList()) {
      double perTransaction = state.getTimeNs() / transactions;
      guest.addIdleTimeNs(PerTransaction.newBuilder().setName(state.getName())
          .setCount(state.getTimeNs()).setPerTransaction(perTransaction));
      if (state.getName().equals(POLL_STATE)) {
        guest.setGuestPollNs(perTransaction);
        poll = true;
      }
    }
    if (!poll) {
      findings.missing("guest: POLL ns: the guest has no " + POLL_STATE + " idle state (it has "
          + deltas.getIdleStatesList().stream().map(IdleStateDelta::getName).toList() + ")");
    }
  }

  /**
   * Entries into every idle state but POLL, the HLT-class states ("haltpoll idle", "C1"...):
   * from cpuidle's usage counters when the worker read them, else from the power:cpu_idle
   * tracepoint, which a vCPU may not emit (this machine's vCPU 1 emits none, though its
   * counters show it halting once per round trip).
   */
  private OptionalLong haltEntries(GuestDeltas deltas) {
    if (deltas.getIdleStatesCount() > 0) {
      return OptionalLong.of(deltas.getIdleStatesList().stream()
          .filter(state -> !state.getName().equals(POLL_STATE))
          .mapToLong(IdleStateDelta::getEntries).sum());
    }
    boolean counted = false;
    long sum = 0;
    for (String name : events.keySet()) {
      if (name.startsWith(IDLE_PREFIX) && !name.equals(IDLE_POLL)) {
        OptionalLong entries = event(name);
        if (entries.isPresent()) {
          counted = true;
          sum += entries.getAsLong();
        }
      }
    }
    return counted ? OptionalLong.of(sum) : OptionalLong.empty();
  }

  /**
   * The worker's reason for the first event it could not count whose name starts with one of
   * {@code names}, as ": reason", or "" when it gave none: so that the figure's entry says why
   * (no such tracepoint, not root). The worker lists such an event as "name (reason)".
   */
  private static String whyNotCounted(GuestDeltas deltas, String... names) {
    for (String name : names) {
      for (String missing : deltas.getMissingEventsList()) {
        int reason = missing.indexOf(" (");
        if (missing.startsWith(name) && reason > 0 && missing.endsWith(")")) {
          return ": " + missing.substring(reason + 2, missing.length() - 1);
        }
      }
    }
    return "";
  }

  /** Both IPI-sending tracepoints; with one of them only, the figure is named as partial. */
  private OptionalLong ipisSent() {
    long sum = 0;
    int counted = 0;
    for (String name : IPI_SENDS) {
      OptionalLong sent = event(name);
      if (sent.isPresent()) {
        counted++;
        sum += sent.getAsLong();
      } else {
        findings.missing("guest: IPIs sent: without " + name + " (not counted)");
      }
    }
    return counted == 0 ? OptionalLong.empty() : OptionalLong.of(sum);
  }

  /**
   * An event's delta. The worker subtracts two reads; a negative one (stored as a huge uint64)
   * means a counter went backwards: no figure.
   */
  private OptionalLong event(String name) {
    Long value = events.get(name);
    if (value == null) {
      return OptionalLong.empty();
    }
    if (value < 0) {
      findings.noise("counter_reset", "guest event " + name + " went backwards ("
          + Long.toUnsignedString(value) + " as uint64)");
      return OptionalLong.empty();
    }
    return OptionalLong.of(value);
  }

  private OptionalLong interrupts(String row, long value) {
    if (value < 0) {
      findings.noise("counter_reset", "guest /proc/interrupts " + row + " went backwards ("
          + Long.toUnsignedString(value) + " as uint64)");
      return OptionalLong.empty();
    }
    return OptionalLong.of(value);
  }

  private void perTransaction(OptionalLong count, DoubleConsumer setter, String whenMissing) {
    if (count.isPresent()) {
      setter.accept(count.getAsLong() / transactions);
    } else {
      findings.missing("guest: " + whenMissing);
    }
  }
}

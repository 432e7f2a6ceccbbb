package dev.kvmmp.worker.attribution;

import dev.kvmmp.proto.v1.GuestDeltas;
import java.util.Locale;
import java.util.Map;

/**
 * What a run's guest-side counts mean, in one sentence, by fixed thresholds on per-transaction
 * figures: "2.0 IPIs, 2.3 timer writes, 1.0 HLT per transaction: cross-vCPU wake-ups of halted
 * vCPUs dominate; the timer is re-armed around idle".
 */
public final class Explanation {

  /** At or above this per transaction, an event is a regular part of every transaction. */
  static final double EVERY_TRANSACTION = 0.5;
  /** At or below this per transaction, an event is off the critical path. */
  static final double ABSENT = 0.1;
  /**
   * Timer MSR writes per transaction at or above this mean the guest re-arms its timer entering
   * or leaving idle (a tickless guest), the talk's finding F4.
   */
  static final double TIMER_REARMING = 1.0;
  /** The cpuidle state that busy-polls instead of halting. */
  static final String POLL_STATE = "POLL";

  /** The per-transaction figures the sentence is made of. */
  public record Figures(double ipis, double timerWrites, double haltEntries,
      double pollEntries) {}

  private Explanation() {}

  /**
   * IPIs sent are x2APIC ICR writes; halts are entries into every idle state but POLL (HLT-class
   * states: "haltpoll idle", "C1", ...); polls are entries into POLL ({@link IdleEntries}).
   */
  public static Figures figures(GuestDeltas deltas, long transactions) {
    Map<String, Long> events = deltas.getEventsMap();
    double tx = Math.max(1, transactions);
    long halts = 0;
    long polls = 0;
    for (Map.Entry<String, Long> state : IdleEntries.byState(deltas).entrySet()) {
      if (state.getKey().equals(POLL_STATE)) {
        polls += state.getValue();
      } else {
        halts += state.getValue();
      }
    }
    long timer = events.getOrDefault(CountedEvent.MSR_TSC_DEADLINE, 0L)
        + events.getOrDefault(CountedEvent.MSR_TMICT, 0L);
    return new Figures(events.getOrDefault(CountedEvent.MSR_ICR, 0L) / tx, timer / tx,
        halts / tx, polls / tx);
  }

  /** The sentence, or why there is none. */
  public static String explain(GuestDeltas deltas, long transactions) {
    Map<String, Long> events = deltas.getEventsMap();
    if (!events.containsKey(CountedEvent.MSR_ICR) || IdleEntries.byState(deltas).isEmpty()) {
      return "no explanation: the guest could not count IPIs and idle entries here"
          + (deltas.getMissingEventsCount() > 0 ? " (" + deltas.getMissingEvents(0) + ")" : "");
    }
    Figures f = figures(deltas, transactions);
    String verdict;
    if (f.ipis() >= EVERY_TRANSACTION && f.haltEntries() >= EVERY_TRANSACTION) {
      verdict = "cross-vCPU wake-ups of halted vCPUs dominate";
    } else if (f.ipis() >= EVERY_TRANSACTION && f.pollEntries() >= EVERY_TRANSACTION) {
      verdict = "cross-vCPU wake-ups, caught by polling instead of halting";
    } else if (f.ipis() >= EVERY_TRANSACTION) {
      verdict = "cross-vCPU wake-ups of vCPUs that were not idle";
    } else if (f.ipis() <= ABSENT && f.haltEntries() <= ABSENT
        && f.pollEntries() >= EVERY_TRANSACTION) {
      // A polling vCPU advertises it (TIF_POLLING_NRFLAG): its waker sets a flag, no IPI.
      verdict = "no IPIs and no halts: the idle vCPU polls, and a polling vCPU is woken "
          + "without an IPI";
    } else if (f.ipis() <= ABSENT && f.haltEntries() <= ABSENT) {
      verdict = "no IPIs and no halts: wake-ups stay on one vCPU";
    } else if (f.ipis() <= ABSENT && f.haltEntries() >= EVERY_TRANSACTION) {
      verdict = "no IPIs, but the vCPU halts between transactions and its timer wakes it";
    } else {
      verdict = "some wake-ups cross vCPUs, not every transaction";
    }
    if (f.timerWrites() >= TIMER_REARMING) {
      verdict += "; the timer is re-armed around idle (tickless guest)";
    }
    return String.format(Locale.ROOT, "%.1f IPIs, %.1f timer writes, %.1f HLT, %.1f POLL per "
        + "transaction: %s", f.ipis(), f.timerWrites(), f.haltEntries(), f.pollEntries(),
        verdict);
  }
}

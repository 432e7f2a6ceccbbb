package dev.kvmmp.worker.attribution;

import dev.kvmmp.proto.v1.GuestDeltas;
import dev.kvmmp.proto.v1.IdleStateDelta;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Entries into each cpuidle state over a run's window, by state name ("POLL", "haltpoll idle",
 * "C1", ...): from cpuidle's own usage counters when the worker read them, else from the
 * power:cpu_idle tracepoint.
 *
 * <p>The counters come first because the tracepoint is not always emitted: on this machine's
 * kernel (6.18, Firecracker guest) vCPU 1 enters idle ~12,000 times a second in a cross-vCPU
 * ping-pong, as its usage counters say, and emits no power:cpu_idle at all (ftrace sees none
 * either), which read as one halt per transaction where each vCPU halts once.
 */
public final class IdleEntries {

  /** Below this share of the counted entries traced, the trace is said to miss entries. */
  static final double TRACED_ENOUGH = 0.9;
  /** Fewer counted entries than this say too little to judge the trace by. */
  static final long JUDGED_FROM = 100;

  private IdleEntries() {}

  /**
   * Whether power:cpu_idle fired for clearly fewer idle entries than cpuidle counted, and what
   * that means, in one sentence; empty when it fired for (nearly) all, or one source is absent.
   */
  public static Optional<String> traceShortfall(GuestDeltas deltas) {
    long counted = deltas.getIdleStatesList().stream().mapToLong(IdleStateDelta::getEntries)
        .sum();
    long traced = 0;
    boolean anyTraced = false;
    for (Map.Entry<String, Long> event : deltas.getEventsMap().entrySet()) {
      if (event.getKey().startsWith(CountedEvent.IDLE_PREFIX)) {
        traced += event.getValue();
        anyTraced = true;
      }
    }
    if (!anyTraced || counted < JUDGED_FROM || traced >= TRACED_ENOUGH * counted) {
      return Optional.empty();
    }
    return Optional.of(String.format(Locale.ROOT, "power:cpu_idle fired for %d of the %d idle "
        + "entries cpuidle counted (%.0f%%): this kernel does not trace every idle entry, so "
        + "what is traced in the idle path (timer MSR writes re-arming the tick) is "
        + "undercounted; halts are taken from the counters", traced, counted,
        100.0 * traced / counted));
  }

  /** Entries by state; empty when neither source counted any state. */
  public static Map<String, Long> byState(GuestDeltas deltas) {
    Map<String, Long> entries = new LinkedHashMap<>();
    if (deltas.getIdleStatesCount() > 0) {
      for (IdleStateDelta state : deltas.getIdleStatesList()) {
        entries.merge(state.getName(), state.getEntries(), Long::sum);
      }
      return entries;
    }
    deltas.getEventsMap().forEach((event, count) -> {
      if (event.startsWith(CountedEvent.IDLE_PREFIX)) {
        entries.put(event.substring(CountedEvent.IDLE_PREFIX.length()), count);
      }
    });
    return entries;
  }
}

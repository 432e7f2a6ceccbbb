package dev.kvmmp.worker.attribution;

import java.util.ArrayList;
import java.util.List;

/**
 * One thing counted per vCPU: a tracepoint with an optional filter, or a software event. The
 * name is what results show, e.g. {@code msr:write_msr/0x830}.
 */
record CountedEvent(String name, String system, String tracepoint, String filter) {

  static final String CONTEXT_SWITCHES = "sched:context_switches";
  static final String MSR_TSC_DEADLINE = "msr:write_msr/0x6e0";
  static final String MSR_TMICT = "msr:write_msr/0x838";
  static final String MSR_ICR = "msr:write_msr/0x830";
  static final String MSR_EOI = "msr:write_msr/0x80b";
  static final String IDLE_PREFIX = "power:cpu_idle/";

  boolean isSoftware() {
    return system == null;
  }

  /**
   * The guest-side events that cause VM exits, per the talk: timer MSR writes (TSC deadline,
   * x2APIC TMICT), ICR writes (IPIs sent), EOIs, entries into each idle state, IPIs sent, the
   * interrupts received that wake-ups and timers raise, and context switches.
   *
   * @param idleStates cpuidle state names in index order (state N is {@code state==N})
   */
  static List<CountedEvent> exitCauses(List<String> idleStates) {
    List<CountedEvent> events = new ArrayList<>(List.of(
        msr(MSR_TSC_DEADLINE, "msr==0x6e0"),
        msr(MSR_TMICT, "msr==0x838"),
        msr(MSR_ICR, "msr==0x830"),
        msr(MSR_EOI, "msr==0x80b"),
        msr("msr:write_msr/other", "msr!=0x6e0 && msr!=0x838 && msr!=0x830 && msr!=0x80b")));
    for (int state = 0; state < idleStates.size(); state++) {
      // Entries only: an exit from idle is traced with state 4294967295 (PWR_EVENT_EXIT).
      events.add(new CountedEvent(IDLE_PREFIX + idleStates.get(state), "power", "cpu_idle",
          "state==" + state));
    }
    events.addAll(List.of(
        tracepoint("ipi", "ipi_send_cpu"),
        tracepoint("ipi", "ipi_send_cpumask"),
        tracepoint("irq_vectors", "local_timer_entry"),
        tracepoint("irq_vectors", "reschedule_entry"),
        tracepoint("irq_vectors", "call_function_entry"),
        tracepoint("irq_vectors", "call_function_single_entry"),
        new CountedEvent(CONTEXT_SWITCHES, null, null, null)));
    return events;
  }

  private static CountedEvent msr(String name, String filter) {
    return new CountedEvent(name, "msr", "write_msr", filter);
  }

  private static CountedEvent tracepoint(String system, String name) {
    return new CountedEvent(system + ":" + name, system, name, null);
  }
}

package dev.kvmmp.worker.knobs;

import dev.kvmmp.knobs.KnobSetter;

/**
 * The names of guest knobs in {@code KnobValue}s (facts and run results):
 *
 * <ul>
 *   <li>{@code guest_halt_poll_ns}, {@code guest_halt_poll_grow},
 *       {@code guest_halt_poll_grow_start}, {@code guest_halt_poll_shrink},
 *       {@code guest_halt_poll_allow_shrink}: the haltpoll parameters, named and printed as in
 *       /sys/module/haltpoll/parameters/ ({@code Y}/{@code N} for the boolean);
 *   <li>{@code cpuidle_governor}: the current governor; {@code cpuidle_available_governors}: the
 *       governors it may be set to, space-separated as sysfs prints them (never writable);
 *   <li>{@code idle_state_disabled:<name>}, e.g. {@code idle_state_disabled:haltpoll idle}: the
 *       {@code disable} file of the idle state of that name ({@code stateN/name}); {@code 0} or
 *       {@code 1} when every vCPU concerned agrees, {@code mixed} when they differ. In facts the
 *       vCPUs concerned are all that have the state; in a run's result, the run's vCPUs.
 * </ul>
 */
public final class KnobNames {

  public static final String GUEST_HALT_POLL_NS = "guest_halt_poll_ns";
  public static final String CPUIDLE_GOVERNOR = "cpuidle_governor";
  public static final String CPUIDLE_AVAILABLE_GOVERNORS = "cpuidle_available_governors";
  public static final String IDLE_STATE_DISABLED_PREFIX = "idle_state_disabled:";
  /** The value of an idle-state knob whose vCPUs disagree. */
  public static final String MIXED = KnobSetter.MIXED;

  private KnobNames() {}

  public static String idleStateDisabled(String stateName) {
    return IDLE_STATE_DISABLED_PREFIX + stateName;
  }
}

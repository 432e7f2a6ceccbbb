package dev.kvmmp.worker.knobs;

import dev.kvmmp.proto.v1.GuestProfile;
import java.util.Optional;

/**
 * The haltpoll governor's parameters (drivers/cpuidle/governors/haltpoll.c). The kernel declares
 * the four numbers {@code uint} and takes 0 to 4294967295; kvmmp passes on what the kernel takes,
 * so an experiment can try any value the guest could run with. Edge values keep their kernel
 * meaning: {@code grow} 0 or 1 never grows past {@code grow_start}, {@code shrink} 0 drops the
 * poll limit to 0 at once, {@code guest_halt_poll_ns} 0 turns guest polling off.
 */
enum HaltpollParam {
  NS(KnobNames.GUEST_HALT_POLL_NS),
  GROW("guest_halt_poll_grow"),
  GROW_START("guest_halt_poll_grow_start"),
  SHRINK("guest_halt_poll_shrink"),
  ALLOW_SHRINK("guest_halt_poll_allow_shrink");

  private static final long UINT_MAX = 0xFFFF_FFFFL;

  private final String knob;

  HaltpollParam(String knob) {
    this.knob = knob;
  }

  String knob() {
    return knob;
  }

  String file() {
    return SysfsLayout.HALTPOLL_PARAMETERS + knob;
  }

  /** The value the profile asks for, as the file takes it; empty when it leaves this alone. */
  Optional<String> requested(GuestProfile profile) {
    return switch (this) {
      case NS -> profile.hasGuestHaltPollNs()
          ? Optional.of(Long.toUnsignedString(profile.getGuestHaltPollNs())) : Optional.empty();
      case GROW -> profile.hasGuestHaltPollGrow()
          ? Optional.of(Integer.toUnsignedString(profile.getGuestHaltPollGrow()))
          : Optional.empty();
      case GROW_START -> profile.hasGuestHaltPollGrowStart()
          ? Optional.of(Integer.toUnsignedString(profile.getGuestHaltPollGrowStart()))
          : Optional.empty();
      case SHRINK -> profile.hasGuestHaltPollShrink()
          ? Optional.of(Integer.toUnsignedString(profile.getGuestHaltPollShrink()))
          : Optional.empty();
      case ALLOW_SHRINK -> profile.hasGuestHaltPollAllowShrink()
          ? Optional.of(profile.getGuestHaltPollAllowShrink() ? "Y" : "N") : Optional.empty();
    };
  }

  /** Why the kernel would refuse {@code value}, e.g. its range; empty when it takes it. */
  Optional<String> outOfRange(String value) {
    if (this == ALLOW_SHRINK) {
      return Optional.empty();
    }
    // The proto's guest_halt_poll_ns is 64-bit; the other three are 32-bit and always fit.
    long number = Long.parseUnsignedLong(value);
    return Long.compareUnsigned(number, UINT_MAX) > 0
        ? Optional.of("the kernel takes 0 to " + UINT_MAX + " (an unsigned 32-bit int"
            + (this == NS ? ", about 4.3 s" : "") + ")")
        : Optional.empty();
  }
}

package dev.kvmmp.probe.knobs;

import dev.kvmmp.proto.v1.HostKnobs;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The kvm module's halt-polling parameters a run may set, named as in
 * {@code /sys/module/kvm/parameters/} and in the allowlist. Each is an {@code unsigned int} in
 * the kernel, whatever width the proto field has.
 */
enum KvmParam {
  HALT_POLL_NS("halt_poll_ns", HostKnobs::hasHaltPollNs, HostKnobs::getHaltPollNs),
  HALT_POLL_NS_GROW("halt_poll_ns_grow", HostKnobs::hasHaltPollNsGrow,
      knobs -> Integer.toUnsignedLong(knobs.getHaltPollNsGrow())),
  HALT_POLL_NS_GROW_START("halt_poll_ns_grow_start", HostKnobs::hasHaltPollNsGrowStart,
      knobs -> Integer.toUnsignedLong(knobs.getHaltPollNsGrowStart())),
  HALT_POLL_NS_SHRINK("halt_poll_ns_shrink", HostKnobs::hasHaltPollNsShrink,
      knobs -> Integer.toUnsignedLong(knobs.getHaltPollNsShrink()));

  static final String PARAMETERS = "sys/module/kvm/parameters/";
  /** The kernel's bound for a {@code uint} module parameter. */
  static final long MAX = 4_294_967_295L;

  private final String knob;
  private final Predicate<HostKnobs> isSet;
  private final Function<HostKnobs, Long> value;

  KvmParam(String knob, Predicate<HostKnobs> isSet, Function<HostKnobs, Long> value) {
    this.knob = knob;
    this.isSet = isSet;
    this.value = value;
  }

  String knob() {
    return knob;
  }

  /** The file relative to the root. */
  String file() {
    return PARAMETERS + knob;
  }

  /** The value asked for, as an unsigned 64-bit number; empty when the field is unset. */
  OptionalLong requested(HostKnobs knobs) {
    return isSet.test(knobs) ? OptionalLong.of(value.apply(knobs)) : OptionalLong.empty();
  }

  static Optional<KvmParam> named(String knob) {
    for (KvmParam param : values()) {
      if (param.knob.equals(knob)) {
        return Optional.of(param);
      }
    }
    return Optional.empty();
  }
}

package dev.kvmmp.cli.reproduce;

import dev.kvmmp.proto.v1.Fleet;
import java.util.OptionalLong;

/**
 * A fleet's halt polling as the findings name it: the guest's guest_halt_poll_ns, or the
 * micro-VM's own halt_poll_ns, whichever the fleet sets.
 */
final class FleetSettings {

  private FleetSettings() {}

  /** In ns, e.g. "200000"; "as is" when the fleet sets none. */
  static String pollNs(Fleet fleet) {
    OptionalLong ns = pollNsOf(fleet);
    return ns.isPresent() ? Long.toString(ns.getAsLong()) : "as is";
  }

  /** In us, e.g. "200us"; "as is" when the fleet sets none. */
  static String pollUs(Fleet fleet) {
    OptionalLong ns = pollNsOf(fleet);
    return ns.isPresent() ? ns.getAsLong() / 1_000 + "us" : "as is";
  }

  private static OptionalLong pollNsOf(Fleet fleet) {
    if (fleet.getGuestProfile().hasGuestHaltPollNs()) {
      return OptionalLong.of(fleet.getGuestProfile().getGuestHaltPollNs());
    }
    if (fleet.getMicroVm().hasHaltPollNs()) {
      return OptionalLong.of(fleet.getMicroVm().getHaltPollNs());
    }
    return OptionalLong.empty();
  }
}

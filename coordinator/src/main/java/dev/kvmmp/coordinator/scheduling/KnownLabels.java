package dev.kvmmp.coordinator.scheduling;

import dev.kvmmp.proto.v1.ExperimentSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/** The label keys a fleet selector may use: a worker's (optionally "guest."), its host's. */
public final class KnownLabels {

  private KnownLabels() {}

  /** Every selector key of the spec's fleets that no worker or host can have, as problems. */
  public static List<String> unknownIn(ExperimentSpec spec) {
    List<String> problems = new ArrayList<>();
    for (int i = 0; i < spec.getFleetsCount(); i++) {
      for (String key : spec.getFleets(i).getSelectorMap().keySet()) {
        int fleet = i;
        unknown(key).ifPresent(why -> problems.add(
            "fleets[" + fleet + "].selector." + key + ": " + why));
      }
    }
    return problems;
  }

  /** Why {@code key} is no label any worker or host can have, or empty when it is one. */
  public static Optional<String> unknown(String key) {
    if (WorkerLabels.KEYS.contains(LabelSelector.unprefixed(key))
        || HostLabels.KEYS.contains(key)) {
      return Optional.empty();
    }
    return Optional.of("unknown label '" + key + "'; workers have " + new TreeSet<>(
        WorkerLabels.KEYS) + " (also with the prefix \"guest.\"), their hosts " + new TreeSet<>(
        HostLabels.KEYS));
  }
}

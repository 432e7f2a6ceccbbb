package dev.kvmmp.coordinator.scheduling;

import java.util.Optional;
import java.util.TreeSet;

/** The label keys a fleet selector may use: a worker's (optionally "guest."), its host's. */
public final class KnownLabels {

  private KnownLabels() {}

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

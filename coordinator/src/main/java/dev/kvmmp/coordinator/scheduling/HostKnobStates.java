package dev.kvmmp.coordinator.scheduling;

import dev.kvmmp.proto.v1.HostKnobs;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The host knobs the coordinator has had each host's probe apply, and by which experiment, so
 * that a run starts only under its own fleet's knobs (unset: the host's originals) and every
 * change is put back when its experiment ends.
 */
public final class HostKnobStates {

  private record Applied(HostKnobs knobs, String experimentId) {}

  private final Map<String, Applied> applied = new HashMap<>();
  private final Set<String> changing = new HashSet<>();

  /** The knobs applied on {@code hostId}; the default instance when it runs on its originals. */
  public HostKnobs applied(String hostId) {
    Applied a = applied.get(hostId);
    return a == null ? HostKnobs.getDefaultInstance() : a.knobs();
  }

  /** Whether a request to the host's probe is under way: nothing may start there meanwhile. */
  public boolean isChanging(String hostId) {
    return changing.contains(hostId);
  }

  public void changing(String hostId) {
    changing.add(hostId);
  }

  /** The change is done: {@code knobs} are in force (the default instance: the originals). */
  public void settled(String hostId, HostKnobs knobs, String experimentId) {
    changing.remove(hostId);
    if (knobs.equals(HostKnobs.getDefaultInstance())) {
      applied.remove(hostId);
    } else {
      applied.put(hostId, new Applied(knobs, experimentId));
    }
  }

  /** A run of {@code experimentId} starts under the knobs in force: they are now its to restore. */
  public void usedBy(String hostId, String experimentId) {
    Applied a = applied.get(hostId);
    if (a != null) {
      applied.put(hostId, new Applied(a.knobs(), experimentId));
    }
  }

  /** Hosts whose knobs {@code experimentId} changed (or last used) and must be put back. */
  public List<String> hostsOf(String experimentId) {
    return applied.entrySet().stream()
        .filter(e -> e.getValue().experimentId().equals(experimentId))
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
  }

  /** The host's probe went away; it puts its knobs back by itself when its session ends. */
  public void forget(String hostId) {
    applied.remove(hostId);
    changing.remove(hostId);
  }
}

package dev.kvmmp.coordinator.scheduling;

import dev.kvmmp.proto.v1.Exclusivity;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What running runs keep to themselves. Every target has places it occupies (its worker, its VM,
 * its host where known); a run touches all of them and holds those its exclusivity names. A run
 * may start when nothing it holds is touched by another run and nothing it touches is held by
 * another: a host-exclusive run keeps even a VM-exclusive neighbour off its host.
 */
public final class RunLocks {

  /** The places a run occupies and the ones it keeps to itself. */
  public record Claim(List<String> touched, List<String> held) {}

  private final Map<String, Claim> byRun = new HashMap<>();
  private final Map<String, Integer> touched = new HashMap<>();
  private final Map<String, Integer> held = new HashMap<>();

  /**
   * @param place the target's own key ("worker:w1" or "probe:h1"), always held
   * @param vm the VM identity, empty when unknown
   * @param host the host id, empty when unknown
   */
  public static Claim claim(Exclusivity exclusivity, String place, String vm, String host) {
    List<String> all = new java.util.ArrayList<>(List.of(place));
    if (!vm.isEmpty()) {
      all.add("vm:" + vm);
    }
    if (!host.isEmpty()) {
      all.add("host:" + host);
    }
    List<String> kept = switch (exclusivity) {
      case EXCLUSIVITY_WORKER -> List.of(place);
      case EXCLUSIVITY_VM -> vm.isEmpty() ? List.of(place) : List.of(place, "vm:" + vm);
      default -> all;
    };
    return new Claim(List.copyOf(all), kept);
  }

  public boolean isFree(Claim claim) {
    return claim.held().stream().noneMatch(k -> touched.containsKey(k))
        && claim.touched().stream().noneMatch(k -> held.containsKey(k));
  }

  public void acquire(String runId, Claim claim) {
    release(runId);
    byRun.put(runId, claim);
    claim.touched().forEach(k -> touched.merge(k, 1, Integer::sum));
    claim.held().forEach(k -> held.merge(k, 1, Integer::sum));
  }

  public void release(String runId) {
    Claim claim = byRun.remove(runId);
    if (claim != null) {
      claim.touched().forEach(k -> decrement(touched, k));
      claim.held().forEach(k -> decrement(held, k));
    }
  }

  /** Whether any run touches {@code key}, e.g. "host:h1". */
  public boolean isTouched(String key) {
    return touched.containsKey(key);
  }

  private static void decrement(Map<String, Integer> counts, String key) {
    counts.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1);
  }
}

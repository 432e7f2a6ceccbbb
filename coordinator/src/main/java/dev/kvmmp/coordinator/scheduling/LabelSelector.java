package dev.kvmmp.coordinator.scheduling;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * A fleet's selector: a worker matches when it has every label with exactly that value. A
 * worker's own labels may also be written with a "guest." prefix ("guest.nohz=off"), to set
 * them apart from its host's ("host.cpu.generation=zen4").
 */
public record LabelSelector(Map<String, String> required) {

  public static final String GUEST_PREFIX = "guest.";

  public LabelSelector {
    required = Map.copyOf(required);
  }

  public boolean matches(Map<String, String> labels) {
    return required.entrySet().stream()
        .allMatch(e -> e.getValue().equals(labels.get(unprefixed(e.getKey()))));
  }

  static String unprefixed(String key) {
    return key.startsWith(GUEST_PREFIX) ? key.substring(GUEST_PREFIX.length()) : key;
  }

  @Override
  public String toString() {
    if (required.isEmpty()) {
      return "(any worker)";
    }
    return required.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }
}

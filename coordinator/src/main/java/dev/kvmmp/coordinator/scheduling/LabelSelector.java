package dev.kvmmp.coordinator.scheduling;

import java.util.Map;
import java.util.stream.Collectors;

/** A fleet's selector: a worker matches when it has every label with exactly that value. */
public record LabelSelector(Map<String, String> required) {

  public LabelSelector {
    required = Map.copyOf(required);
  }

  public boolean matches(Map<String, String> labels) {
    return required.entrySet().stream()
        .allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
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

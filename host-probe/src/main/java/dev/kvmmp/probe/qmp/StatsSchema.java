package dev.kvmmp.probe.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The type of every KVM stat QEMU serves ({@code cumulative}, {@code instant}, {@code peak},
 * {@code linear-histogram}, {@code log2-histogram}), by target and name, from one {@code
 * query-stats-schemas} reply. The types come from the kernel's stats descriptors, so they are the
 * same for every VM of one host.
 */
final class StatsSchema {

  static final String PROVIDER = "kvm";
  static final String COMMAND = "query-stats-schemas";

  /** Type by stat name, by target: looked up for every stat of every sample, so no key is built. */
  private final Map<String, Map<String, String>> typeByTargetAndName;

  private StatsSchema(Map<String, Map<String, String>> typeByTargetAndName) {
    this.typeByTargetAndName = typeByTargetAndName;
  }

  static StatsSchema parse(JsonNode reply) throws QmpException {
    if (!reply.isArray()) {
      throw new QmpException(COMMAND, COMMAND + ": expected an array, got " + reply.getNodeType());
    }
    Map<String, Map<String, String>> types = new HashMap<>();
    for (int i = 0; i < reply.size(); i++) {
      JsonNode entry = reply.get(i);
      if (!PROVIDER.equals(entry.path("provider").asText())) {
        continue;
      }
      String target = entry.path("target").asText("");
      JsonNode stats = entry.path("stats");
      if (target.isEmpty() || !stats.isArray()) {
        throw new QmpException(COMMAND, COMMAND + ": entry " + i
            + " needs a 'target' string and a 'stats' array, got " + entry);
      }
      for (JsonNode stat : stats) {
        String name = stat.path("name").asText("");
        String type = stat.path("type").asText("");
        if (name.isEmpty() || type.isEmpty()) {
          throw new QmpException(COMMAND, COMMAND + ": target '" + target
              + "': a stat needs a 'name' and a 'type', got " + stat);
        }
        types.computeIfAbsent(target, t -> new HashMap<>()).put(name, type);
      }
    }
    if (types.isEmpty()) {
      throw new QmpException(COMMAND, COMMAND
          + ": no kvm stats; is QEMU running with KVM (-enable-kvm), on Linux 5.14 or later?");
    }
    types.replaceAll((target, byName) -> Map.copyOf(byName));
    return new StatsSchema(Map.copyOf(types));
  }

  /** The names of the stats of {@code target} the schema describes. */
  StatNames names(String target) {
    return new StatNames(typeByTargetAndName.getOrDefault(target, Map.of()).keySet());
  }

  /** The stat's type, empty when the schema does not describe it. */
  Optional<String> type(String target, String name) {
    return Optional.ofNullable(typeByTargetAndName.getOrDefault(target, Map.of()).get(name));
  }
}

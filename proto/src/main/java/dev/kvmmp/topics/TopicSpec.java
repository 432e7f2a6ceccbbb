package dev.kvmmp.topics;

import java.util.Map;
import java.util.Objects;

/**
 * A kvmmp topic: its name, its partition count and the topic configs it is created with (the
 * replication factor depends on the cluster, see {@link TopicsCreator}).
 */
public record TopicSpec(String name, int partitions, Map<String, String> configs) {

  public TopicSpec {
    Objects.requireNonNull(name, "name");
    if (!name.matches("[a-zA-Z0-9._-]{1,249}")) {
      throw new IllegalArgumentException("topic name must be 1..249 of [a-zA-Z0-9._-], was '"
          + name + "'");
    }
    if (partitions < 1) {
      throw new IllegalArgumentException("topic '" + name + "': partitions must be >= 1, was "
          + partitions);
    }
    configs = Map.copyOf(configs);
  }
}

package dev.kvmmp.topics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the kvmmp topics a cluster lacks, with their partitions and configs; topics that exist
 * are left as they are (whoever changed them meant it). Safe to run from every component at
 * start: two creating the same topic at once both succeed.
 */
public final class TopicsCreator {

  /** Replicas per partition on a cluster of three brokers or more. */
  static final int MAX_REPLICATION = 3;

  private TopicsCreator() {}

  /** {@link #ensure(Admin, Collection, Duration)} for {@link KvmmpTopics#all()}. */
  public static List<String> ensure(Admin admin, Duration timeout) {
    return ensure(admin, KvmmpTopics.all(), timeout);
  }

  /**
   * Creates those of {@code topics} that the cluster lacks, replicated {@code min(3, brokers)}
   * times.
   *
   * @param timeout bound of the whole call
   * @return the names of the topics this call created
   * @throws TimeoutException if the cluster does not answer within {@code timeout}
   */
  public static List<String> ensure(Admin admin, Collection<TopicSpec> topics, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    int brokers = await(admin.describeCluster().nodes(), deadline, timeout, "counting brokers")
        .size();
    short replication = replicationFactor(brokers);
    Set<String> existing = await(admin.listTopics().names(), deadline, timeout, "listing topics");
    List<NewTopic> missing = new ArrayList<>();
    for (TopicSpec t : topics) {
      if (!existing.contains(t.name())) {
        missing.add(new NewTopic(t.name(), t.partitions(), replication)
            .configs(configs(t, replication)));
      }
    }
    if (missing.isEmpty()) {
      return List.of();
    }
    Map<String, KafkaFuture<Void>> results = admin.createTopics(missing).values();
    List<String> created = new ArrayList<>();
    for (NewTopic t : missing) {
      try {
        await(results.get(t.name()), deadline, timeout, "creating topic '" + t.name() + "'");
        created.add(t.name());
      } catch (KafkaException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
    }
    return created;
  }

  /** As many replicas as there are brokers, up to three. */
  static short replicationFactor(int brokers) {
    if (brokers < 1) {
      throw new IllegalArgumentException("brokers must be >= 1, was " + brokers);
    }
    return (short) Math.min(MAX_REPLICATION, brokers);
  }

  static Map<String, String> configs(TopicSpec topic, short replication) {
    Map<String, String> configs = new HashMap<>(topic.configs());
    if (replication >= MAX_REPLICATION) {
      // With acks=all, a write then survives the loss of any one broker and still succeeds
      // while one broker is down.
      configs.putIfAbsent(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "2");
    }
    return configs;
  }

  private static <T> T await(KafkaFuture<T> future, long deadline, Duration timeout,
      String what) {
    try {
      return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new TimeoutException("kvmmp topics: " + what + ": no answer from the cluster within "
          + timeout.toMillis() + " ms", e);
    } catch (ExecutionException e) {
      throw new KafkaException("kvmmp topics: " + what + ": " + e.getCause().getMessage(),
          e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptException("kvmmp topics: interrupted while " + what, e);
    }
  }
}

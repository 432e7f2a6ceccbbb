package dev.kvmmp.cli.bench;

import dev.kvmmp.aggregator.Aggregator;
import dev.kvmmp.topics.KvmmpTopics;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How far the aggregator's consumer group has got through kvmmp.host-samples: its committed
 * offsets against the partitions' end offsets, as an operator's lag monitor sees them.
 */
final class GroupLag implements AutoCloseable {

  private static final long TIMEOUT_SECONDS = 10;

  /** Offsets summed over the partitions. */
  record Offsets(long committed, long end) {
    long lag() {
      return Math.max(0, end - committed);
    }
  }

  private final Admin admin;
  private final int partitions = KvmmpTopics.spec(KvmmpTopics.HOST_SAMPLES).partitions();

  GroupLag(String bootstrapServers) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    admin = Admin.create(props);
  }

  /** The group's committed and the topic's end offsets now. */
  Offsets now() throws TrialException {
    try {
      Map<TopicPartition, OffsetAndMetadata> committed = admin
          .listConsumerGroupOffsets(Aggregator.APPLICATION_ID)
          .partitionsToOffsetAndMetadata().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      for (int p = 0; p < partitions; p++) {
        latest.put(new TopicPartition(KvmmpTopics.HOST_SAMPLES, p), OffsetSpec.latest());
      }
      long end = 0;
      long done = 0;
      for (var entry : admin.listOffsets(latest).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
          .entrySet()) {
        end += entry.getValue().offset();
        OffsetAndMetadata offset = committed.get(entry.getKey());
        done += offset == null ? 0 : offset.offset();
      }
      return new Offsets(done, end);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TrialException("interrupted while reading the aggregator's offsets", e);
    } catch (Exception e) {
      throw new TrialException("cannot read the offsets of group '" + Aggregator.APPLICATION_ID
          + "' on " + KvmmpTopics.HOST_SAMPLES + ": " + e, e);
    }
  }

  @Override
  public void close() {
    admin.close();
  }
}

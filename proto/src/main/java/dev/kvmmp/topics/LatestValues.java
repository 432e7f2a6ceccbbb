package dev.kvmmp.topics;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Parser;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a compacted kvmmp topic from its start to its current end: the latest value of every
 * key, as the topic's owner last wrote it (a tombstone removes the key). Committed records only,
 * since the aggregator writes in transactions.
 */
public final class LatestValues {

  private static final Duration POLL = Duration.ofMillis(200);

  private LatestValues() {}

  /**
   * @throws IllegalStateException when the end is not reached within {@code timeout}, or a
   *     record is not a {@code T} (naming its partition, offset and key)
   * @throws org.apache.kafka.common.KafkaException when the cluster cannot be read
   */
  public static <T> Map<String, T> read(String bootstrapServers, String topic, Parser<T> parser,
      Duration timeout) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
    Map<String, T> latest = new LinkedHashMap<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props,
        new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
          .map(p -> new TopicPartition(topic, p.partition()))
          .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, timeout);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("reading " + topic + " from " + bootstrapServers
              + " did not reach its end within " + timeout.toSeconds() + " s");
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
          if (record.value() == null) {
            latest.remove(record.key());
          } else {
            latest.put(record.key(), parse(parser, record));
          }
        }
      }
    }
    return latest;
  }

  private static <T> T parse(Parser<T> parser, ConsumerRecord<String, byte[]> record) {
    try {
      return parser.parseFrom(record.value());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(record.topic() + " partition " + record.partition()
          + " offset " + record.offset() + " (key " + record.key() + ") is no kvmmp record: "
          + e.getMessage(), e);
    }
  }
}

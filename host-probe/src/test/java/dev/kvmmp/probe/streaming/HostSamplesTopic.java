package dev.kvmmp.probe.streaming;

import dev.kvmmp.proto.v1.HostSample;
import dev.kvmmp.topics.KvmmpTopics;
import dev.kvmmp.topics.ProtoSerde;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

/** What {@value KvmmpTopics#HOST_SAMPLES} holds, read as a consumer of the topic would. */
public final class HostSamplesTopic {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private HostSamplesTopic() {}

  /** Every record on the topic now, from the start of each partition to its end. */
  public static List<ConsumerRecord<String, HostSample>> readAll(String bootstrap) {
    try (KafkaConsumer<String, HostSample> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis()),
        new StringDeserializer(), ProtoSerde.of(HostSample.getDefaultInstance()).deserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(KvmmpTopics.HOST_SAMPLES, TIMEOUT)
          .stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, TIMEOUT);
      List<ConsumerRecord<String, HostSample>> records = new ArrayList<>();
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p, TIMEOUT) < end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("could not read " + KvmmpTopics.HOST_SAMPLES + " to its end "
              + end + " within " + TIMEOUT);
        }
        consumer.poll(Duration.ofMillis(100)).forEach(records::add);
      }
      return records;
    }
  }
}

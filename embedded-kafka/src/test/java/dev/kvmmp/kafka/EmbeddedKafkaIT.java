package dev.kvmmp.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real broker in this JVM: records written before a restart are read after it. */
class EmbeddedKafkaIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @TempDir Path dir;

  @Test
  void keepsRecordsAndPortAndClusterIdAcrossARestart() throws Exception {
    try (EmbeddedKafka kafka = new EmbeddedKafka(dir, 0)) {
      kafka.start();
      assertThatThrownBy(kafka::start).hasMessageContaining("already runs");
      String bootstrap = kafka.bootstrapServers();
      String clusterId = kafka.clusterId();
      try (Admin admin = kafka.admin()) {
        admin.createTopics(List.of(new NewTopic("t", 1, (short) 1))).all()
            .get(30, TimeUnit.SECONDS);
      }
      try (KafkaProducer<String, String> producer = producer(bootstrap)) {
        for (int i = 0; i < 3; i++) {
          producer.send(new ProducerRecord<>("t", "k" + i, "v" + i)).get(30, TimeUnit.SECONDS);
        }
      }
      assertThat(readAll(bootstrap, "t", 3)).containsExactly("k0=v0", "k1=v1", "k2=v2");

      kafka.stop();
      assertThat(kafka.isRunning()).isFalse();
      kafka.start();

      assertThat(kafka.bootstrapServers()).isEqualTo(bootstrap);
      assertThat(kafka.clusterId()).isEqualTo(clusterId);
      assertThat(readAll(bootstrap, "t", 3)).containsExactly("k0=v0", "k1=v1", "k2=v2");
    }
  }

  private static KafkaProducer<String, String> producer(String bootstrap) {
    return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000), new StringSerializer(),
        new StringSerializer());
  }

  /** Reads from the beginning with a fresh group until {@code expected} records or a timeout. */
  private static List<String> readAll(String bootstrap, String topic, int expected) {
    List<String> seen = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
        ConsumerConfig.GROUP_ID_CONFIG, "g-" + System.nanoTime(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
        new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (seen.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
          seen.add(r.key() + "=" + r.value());
        }
      }
    }
    return seen;
  }
}

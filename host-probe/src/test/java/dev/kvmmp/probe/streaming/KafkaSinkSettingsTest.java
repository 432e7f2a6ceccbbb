package dev.kvmmp.probe.streaming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KafkaSinkSettingsTest {

  @Test
  void producerIsIdempotentWaitsForAllReplicasAndGivesUpWithinTheDeliveryTimeout() {
    KafkaSinkSettings settings = new KafkaSinkSettings("127.0.0.1:9092", 10,
        Duration.ofSeconds(8), Duration.ofSeconds(1), Map.of(ProducerConfig.ACKS_CONFIG, "1",
        ProducerConfig.CLIENT_ID_CONFIG, "probe-h1"));

    assertThat(settings.producerConfig())
        .containsEntry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)
        .as("the sink's delivery settings win").containsEntry(ProducerConfig.ACKS_CONFIG, "all")
        .containsEntry(ProducerConfig.CLIENT_ID_CONFIG, "probe-h1")
        .containsEntry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 8_000)
        .containsEntry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 4_000)
        .containsEntry(ProducerConfig.MAX_BLOCK_MS_CONFIG, 4_000);
  }

  @Test
  void kafkaAcceptsTheShortestDeliveryTimeout() {
    KafkaSinkSettings settings =
        KafkaSinkSettings.of("127.0.0.1:9").withDeliveryTimeout(Duration.ofMillis(200));

    // Kafka refuses delivery.timeout.ms < linger.ms + request.timeout.ms at construction.
    new KafkaProducer<>(settings.producerConfig(), new StringSerializer(), new StringSerializer())
        .close(Duration.ZERO);
  }

  @Test
  void refusesBoundsAndTimeoutsOutOfRangeNamingThem() {
    KafkaSinkSettings settings = KafkaSinkSettings.of("127.0.0.1:9092");

    assertThatThrownBy(() -> settings.withBound(0)).hasMessage("bound must be >= 1 sample, was 0");
    assertThatThrownBy(() -> settings.withDeliveryTimeout(Duration.ofMillis(50)))
        .hasMessage("deliveryTimeout must be in 200..3600000 ms, was 50 ms");
    assertThatThrownBy(() -> KafkaSinkSettings.of(" "))
        .hasMessage("bootstrapServers must name at least one host:port");
  }
}

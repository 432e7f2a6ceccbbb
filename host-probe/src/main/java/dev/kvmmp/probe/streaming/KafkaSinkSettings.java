package dev.kvmmp.probe.streaming;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * How a {@link KafkaSampleSink} reaches Kafka and how much it keeps while it cannot.
 *
 * @param bootstrapServers {@code host:port,...} of the cluster
 * @param bound most samples kept while the broker is unreachable; beyond it the oldest go
 * @param deliveryTimeout how long one send may take before it is counted as failed and the
 *     broker as unreachable (the producer's {@code delivery.timeout.ms}); the sample is kept and
 *     sent again
 * @param closeTimeout how long {@link KafkaSampleSink#close()} waits for kept samples to go out
 * @param clientProperties further Kafka client settings (security, client.id), for the producer
 *     and the admin client alike; the sink's own delivery settings win over these
 */
public record KafkaSinkSettings(String bootstrapServers, int bound, Duration deliveryTimeout,
    Duration closeTimeout, Map<String, String> clientProperties) {

  /** One hour of samples at the default 1 Hz. */
  public static final int DEFAULT_BOUND = 3600;
  public static final Duration DEFAULT_DELIVERY_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);
  // Below this the producer's own request timeout (half of it) leaves no time for a round trip.
  private static final Duration MIN_DELIVERY_TIMEOUT = Duration.ofMillis(200);
  private static final Duration MAX_DELIVERY_TIMEOUT = Duration.ofHours(1);
  private static final int LINGER_MS = 5;

  public KafkaSinkSettings {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    if (bootstrapServers.isBlank()) {
      throw new IllegalArgumentException("bootstrapServers must name at least one host:port");
    }
    if (bound < 1) {
      throw new IllegalArgumentException("bound must be >= 1 sample, was " + bound);
    }
    if (deliveryTimeout.compareTo(MIN_DELIVERY_TIMEOUT) < 0
        || deliveryTimeout.compareTo(MAX_DELIVERY_TIMEOUT) > 0) {
      throw new IllegalArgumentException("deliveryTimeout must be in "
          + MIN_DELIVERY_TIMEOUT.toMillis() + ".." + MAX_DELIVERY_TIMEOUT.toMillis() + " ms, was "
          + deliveryTimeout.toMillis() + " ms");
    }
    if (closeTimeout.isNegative()) {
      throw new IllegalArgumentException("closeTimeout must be >= 0, was " + closeTimeout);
    }
    clientProperties = Map.copyOf(clientProperties);
  }

  /** The defaults: {@value #DEFAULT_BOUND} samples, 10 s per send, 10 s to close. */
  public static KafkaSinkSettings of(String bootstrapServers) {
    return new KafkaSinkSettings(bootstrapServers, DEFAULT_BOUND, DEFAULT_DELIVERY_TIMEOUT,
        DEFAULT_CLOSE_TIMEOUT, Map.of());
  }

  public KafkaSinkSettings withBound(int newBound) {
    return new KafkaSinkSettings(bootstrapServers, newBound, deliveryTimeout, closeTimeout,
        clientProperties);
  }

  public KafkaSinkSettings withDeliveryTimeout(Duration newTimeout) {
    return new KafkaSinkSettings(bootstrapServers, bound, newTimeout, closeTimeout,
        clientProperties);
  }

  public KafkaSinkSettings withCloseTimeout(Duration newTimeout) {
    return new KafkaSinkSettings(bootstrapServers, bound, deliveryTimeout, newTimeout,
        clientProperties);
  }

  /**
   * The producer's settings: idempotent, acknowledged by every in-sync replica, and failing a
   * send within {@link #deliveryTimeout} so that the sink, not the producer, decides what is
   * kept while the broker is away.
   */
  Map<String, Object> producerConfig() {
    Map<String, Object> config = common();
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.LINGER_MS_CONFIG, LINGER_MS);
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) deliveryTimeout.toMillis());
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, requestTimeoutMs());
    // send() runs on the sink's own thread, but waits for metadata: it must not wait longer
    // than a send may take.
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, requestTimeoutMs());
    return config;
  }

  /** The admin client's settings, for asking whether the cluster answers. */
  Map<String, Object> adminConfig() {
    Map<String, Object> config = common();
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, requestTimeoutMs());
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, requestTimeoutMs());
    return config;
  }

  /** Half the delivery timeout: the producer needs delivery >= linger + request timeout. */
  int requestTimeoutMs() {
    return (int) (deliveryTimeout.toMillis() / 2);
  }

  private Map<String, Object> common() {
    Map<String, Object> config = new HashMap<>(clientProperties);
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return config;
  }
}

package dev.kvmmp.aggregator;

import dev.kvmmp.topics.TopicsCreator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The aggregator running: its topology on a Kafka cluster, exactly once, with its stores in a
 * local directory (restored from their changelog topics when it is lost).
 */
public final class Aggregator implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Aggregator.class);
  public static final String APPLICATION_ID = "kvmmp-aggregator";

  private final KafkaStreams streams;

  private Aggregator(KafkaStreams streams) {
    this.streams = streams;
  }

  /** The Streams configuration, apart from the topology. */
  public static Properties config(String bootstrapServers, Path stateDir) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    // Reports should follow their runs within a fraction of a second, not the 100 ms default
    // commit interval of exactly-once plus batching.
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
    // The global experiments store's processing errors go through the same handler as the rest
    // (Kafka 5.0's default; without it every start warns about it).
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, "true");
    return props;
  }

  /**
   * Creates the kvmmp topics that are missing and starts the topology.
   *
   * @param timeout how long to wait for the cluster to create topics
   */
  public static Aggregator start(Topology topology, String bootstrapServers, Path stateDir,
      Duration timeout) {
    Properties admin = new Properties();
    admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    try (Admin client = Admin.create(admin)) {
      List<String> created = TopicsCreator.ensure(client, timeout);
      if (!created.isEmpty()) {
        log.info("created topics {}", created);
      }
    }
    KafkaStreams streams = new KafkaStreams(topology, config(bootstrapServers, stateDir));
    streams.setUncaughtExceptionHandler(e -> {
      log.error("aggregator stream thread failed; replacing it", e);
      return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler
          .StreamThreadExceptionResponse.REPLACE_THREAD;
    });
    streams.start();
    return new Aggregator(streams);
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  @Override
  public void close() {
    streams.close(Duration.ofSeconds(30));
  }
}

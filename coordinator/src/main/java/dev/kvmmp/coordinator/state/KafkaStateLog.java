package dev.kvmmp.coordinator.state;

import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import dev.kvmmp.proto.v1.Experiment;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.topics.KvmmpTopics;
import dev.kvmmp.topics.LatestValues;
import dev.kvmmp.topics.ProtoSerializer;
import dev.kvmmp.topics.TopicsCreator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's state in Kafka: each experiment keyed by its id on {@code kvmmp.experiments},
 * each run keyed by its id on {@code kvmmp.runs}, both compacted, so the latest record of every
 * key is the state. One idempotent producer with acks=all keeps each key's changes in order and
 * rides out a broker restart (records wait and are resent, up to the delivery timeout).
 */
public final class KafkaStateLog implements StateLog {

  private static final Logger log = LoggerFactory.getLogger(KafkaStateLog.class);
  /** Long enough to ride out a broker restart; a record older than this is reported lost. */
  private static final Duration DELIVERY_TIMEOUT = Duration.ofMinutes(5);

  private final String bootstrapServers;
  private final KafkaProducer<String, Message> producer;
  private final Duration timeout;

  private KafkaStateLog(String bootstrapServers, Duration timeout) {
    this.bootstrapServers = bootstrapServers;
    this.timeout = timeout;
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "kvmmp-coordinator");
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 2);
    props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) DELIVERY_TIMEOUT.toMillis());
    props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    // send() must not hold the coordinator's lock for long when the broker is away.
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) Math.min(timeout.toMillis(), 10_000));
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    this.producer = new KafkaProducer<>(props, new StringSerializer(), new ProtoSerializer<>());
  }

  /**
   * Connects to {@code bootstrapServers}, creating the kvmmp topics that do not exist yet.
   *
   * @throws StateLogException when the cluster does not answer within {@code timeout}
   */
  public static KafkaStateLog open(String bootstrapServers, Duration timeout) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    try (Admin admin = Admin.create(props)) {
      List<String> created = TopicsCreator.ensure(admin, timeout);
      if (!created.isEmpty()) {
        log.info("created topics {} on {}", created, bootstrapServers);
      }
    } catch (RuntimeException e) {
      throw new StateLogException("cannot reach Kafka at " + bootstrapServers + " within "
          + timeout.toSeconds() + " s to create the kvmmp topics: " + e.getMessage(), e);
    }
    return new KafkaStateLog(bootstrapServers, timeout);
  }

  @Override
  public void submitted(Experiment experiment, List<Run> runs) {
    List<Future<RecordMetadata>> sent = new ArrayList<>(runs.size());
    for (Run run : runs) {
      sent.add(producer.send(new ProducerRecord<>(KvmmpTopics.RUNS, run.getId(), run)));
    }
    // The experiment goes last, once its runs are durable: read back, an experiment record
    // means the whole submission is there.
    awaitAll(sent, "the runs of experiment " + experiment.getId());
    awaitAll(List.of(producer.send(new ProducerRecord<>(KvmmpTopics.EXPERIMENTS,
        experiment.getId(), experiment))), "experiment " + experiment.getId());
  }

  @Override
  public void experimentChanged(Experiment experiment) {
    producer.send(new ProducerRecord<>(KvmmpTopics.EXPERIMENTS, experiment.getId(), experiment),
        (metadata, e) -> {
          if (e != null) {
            log.error("experiment {} state {} not recorded in Kafka: {}", experiment.getId(),
                experiment.getState(), e.toString());
          }
        });
  }

  @Override
  public CompletableFuture<Void> runChanged(Run run) {
    CompletableFuture<Void> durable = new CompletableFuture<>();
    producer.send(new ProducerRecord<>(KvmmpTopics.RUNS, run.getId(), run), (metadata, e) -> {
      if (e == null) {
        durable.complete(null);
      } else {
        log.error("run {} state {} not recorded in Kafka: {}", run.getId(), run.getState(),
            e.toString());
        durable.completeExceptionally(e);
      }
    });
    return durable;
  }

  @Override
  public RecordedState read() {
    return RecordedState.of(latest(KvmmpTopics.EXPERIMENTS, Experiment.parser()).values(),
        latest(KvmmpTopics.RUNS, Run.parser()).values());
  }

  private <T> Map<String, T> latest(String topic, Parser<T> parser) {
    try {
      return LatestValues.read(bootstrapServers, topic, parser, timeout);
    } catch (RuntimeException e) {
      throw new StateLogException("cannot read " + topic + " from " + bootstrapServers + ": "
          + e.getMessage(), e);
    }
  }

  private void awaitAll(List<Future<RecordMetadata>> sent, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      for (Future<RecordMetadata> future : sent) {
        future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
    } catch (ExecutionException e) {
      throw new StateLogException("Kafka at " + bootstrapServers + " refused " + what + ": "
          + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new StateLogException("Kafka at " + bootstrapServers + " did not acknowledge " + what
          + " within " + timeout.toSeconds() + " s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StateLogException("interrupted while recording " + what, e);
    }
  }

  @Override
  public void close() {
    producer.close(timeout);
  }
}

package dev.kvmmp.cli.bench;

import dev.kvmmp.topics.KvmmpTopics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads kvmmp.run-reports as a user would (read_committed: only what the aggregator's
 * transactions committed) and records, per run, the time from sending the ended run to seeing
 * its report. The first report of a run counts; later ones (a timeout's re-emit) do not.
 */
final class ReportWatcher implements AutoCloseable {

  private static final Duration POLL = Duration.ofMillis(100);

  private final KafkaConsumer<String, byte[]> consumer;
  private final Function<String, Long> sentNanos;
  /** Per reported run: when it was sent and how long its report took, ns. */
  private final Map<String, long[]> reported = new ConcurrentHashMap<>();
  private final Thread thread;
  private volatile boolean stopping;
  private volatile Exception failure;

  ReportWatcher(String bootstrapServers, Function<String, Long> sentNanos) {
    this.sentNanos = sentNanos;
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "kvmmp-bench-aggregator-reports");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    consumer.subscribe(List.of(KvmmpTopics.RUN_REPORTS));
    thread = new Thread(this::poll, "bench-report-watcher");
    thread.setDaemon(true);
    thread.start();
  }

  private void poll() {
    try {
      while (!stopping) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
          long now = System.nanoTime();
          Long sent = sentNanos.apply(record.key());
          if (sent != null) {
            reported.putIfAbsent(record.key(), new long[] {sent, Math.max(0, now - sent)});
          }
        }
      }
    } catch (WakeupException e) {
      // close() woke the poll up: the watch is over.
    } catch (RuntimeException e) {
      failure = e;
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /** Runs whose report arrived. */
  int reports() {
    return reported.size();
  }

  /** The end-to-end lags so far of the runs sent at or after {@code fromNanos}. */
  Histogram lags(long fromNanos) {
    Histogram lags = new Histogram(3_600_000_000_000L, 3);
    for (long[] run : reported.values()) {
      if (run[0] >= fromNanos) {
        lags.recordValue(run[1]);
      }
    }
    return lags;
  }

  /** Why the watcher stopped early, or null. */
  Exception failure() {
    return failure;
  }

  @Override
  public void close() {
    stopping = true;
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

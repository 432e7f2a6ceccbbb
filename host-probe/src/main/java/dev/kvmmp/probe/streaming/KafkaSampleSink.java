package dev.kvmmp.probe.streaming;

import dev.kvmmp.probe.sampling.SampleSink;
import dev.kvmmp.proto.v1.HostSample;
import dev.kvmmp.topics.KvmmpTopics;
import dev.kvmmp.topics.ProtoSerializer;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the probe's samples to {@value KvmmpTopics#HOST_SAMPLES}, key = host id, value = the
 * {@code HostSample}, with an idempotent producer ({@code acks=all}).
 *
 * <p>{@link #publish} only puts the sample in a bounded buffer and returns (microseconds); one
 * thread of the sink's own sends it. A sample stays in the buffer until the broker acknowledges
 * it; a send that fails or times out is sent again. While the broker is unreachable the sink
 * keeps up to {@link KafkaSinkSettings#bound()} samples, drops the oldest beyond that (counting
 * them), and delivers what it kept, oldest first, when the broker answers again.
 *
 * <p>Delivery is at least once. The idempotent producer removes duplicates within one producer
 * session, but a sample whose acknowledgement was lost is sent again, and a restarted probe
 * starts a new session: consumers deduplicate by {@code (host_id, probe_started_at, sequence)}.
 * A gap in {@code sequence} within one {@code (host_id, probe_started_at)} is samples dropped.
 * Samples arrive in sequence order but for such resends.
 *
 * <p>Meters: {@code kvmmp.probe.samples.buffered} (gauge: kept, not yet acknowledged),
 * {@code kvmmp.probe.samples.delivered} and {@code kvmmp.probe.samples.dropped} (counters).
 * The topic must exist ({@code TopicsCreator}); until it does, sends fail and samples are kept.
 */
public final class KafkaSampleSink implements SampleSink {

  private static final Logger log = LoggerFactory.getLogger(KafkaSampleSink.class);
  private static final Duration SETTLE_POLL = Duration.ofMillis(10);
  // The sender may be asking the cluster whether it answers: one request timeout and a margin.
  private static final long JOIN_MARGIN_MS = 2_000;

  private final KafkaSinkSettings settings;
  private final SampleBuffer<HostSample> buffer;
  private final KafkaProducer<String, HostSample> producer;
  private final Admin admin;
  private final SampleSender sender;
  private final Thread senderThread;
  private final MeterRegistry registry;
  private final List<Meter> meters;
  private final AtomicBoolean closed = new AtomicBoolean();

  /** Connects lazily: the broker need not be up yet. */
  public KafkaSampleSink(KafkaSinkSettings settings, MeterRegistry registry) {
    this.settings = settings;
    this.registry = registry;
    this.buffer = new SampleBuffer<>(settings.bound());
    this.producer = new KafkaProducer<>(settings.producerConfig(), new StringSerializer(),
        new ProtoSerializer<>());
    this.admin = Admin.create(settings.adminConfig());
    this.sender = new SampleSender(buffer, producer, this::clusterAnswers,
        KvmmpTopics.HOST_SAMPLES + " at " + settings.bootstrapServers());
    this.meters = List.of(
        Gauge.builder("kvmmp.probe.samples.buffered", buffer, SampleBuffer::kept)
            .description("samples kept until the broker acknowledges them")
            .baseUnit("samples").register(registry),
        FunctionCounter.builder("kvmmp.probe.samples.delivered", buffer, SampleBuffer::delivered)
            .description("samples the broker acknowledged").baseUnit("samples")
            .register(registry),
        FunctionCounter.builder("kvmmp.probe.samples.dropped", buffer, SampleBuffer::dropped)
            .description("oldest samples dropped while the buffer was full")
            .baseUnit("samples").register(registry));
    this.senderThread = new Thread(sender, "kvmmp-sample-sender");
    senderThread.setDaemon(true);
    senderThread.start();
  }

  /** Keeps the sample for sending; never waits for the broker. */
  @Override
  public void publish(HostSample sample) {
    if (closed.get()) {
      throw new IllegalStateException("sample " + sample.getSequence() + " published to a closed "
          + "sink for " + settings.bootstrapServers());
    }
    buffer.add(sample);
    sender.wake();
  }

  /**
   * Waits up to {@link KafkaSinkSettings#closeTimeout()} for the kept samples to be
   * acknowledged, then closes the producer; samples still kept then are lost, with a warning.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    long deadline = System.nanoTime() + settings.closeTimeout().toNanos();
    try {
      while (!buffer.isSettled() && System.nanoTime() < deadline) {
        Thread.sleep(SETTLE_POLL.toMillis());
      }
      sender.stop();
      senderThread.join(settings.requestTimeoutMs() + JOIN_MARGIN_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    int left = buffer.kept();
    if (left > 0) {
      log.warn("closing the sample sink for {} with {} samples not acknowledged within {} ms; "
          + "they are lost", settings.bootstrapServers(), left, settings.closeTimeout().toMillis());
    }
    producer.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
    admin.close(Duration.ZERO);
    meters.forEach(registry::remove);
  }

  /** Kept and not yet acknowledged. */
  int kept() {
    return buffer.kept();
  }

  int inFlight() {
    return buffer.inFlight();
  }

  /** False from a failed send until the cluster answers again. */
  boolean reachable() {
    return sender.reachable();
  }

  private boolean clusterAnswers() {
    int timeoutMs = settings.requestTimeoutMs();
    try {
      return !admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs)).nodes()
          .get(timeoutMs + 1_000L, TimeUnit.MILLISECONDS).isEmpty();
    } catch (ExecutionException | TimeoutException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptException(e);
    }
  }
}

package dev.kvmmp.probe.streaming;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Timestamp;
import dev.kvmmp.kafka.EmbeddedKafka;
import dev.kvmmp.proto.v1.HostSample;
import dev.kvmmp.proto.v1.SampleKind;
import dev.kvmmp.proto.v1.VmCounters;
import dev.kvmmp.topics.TopicsCreator;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Samples through a real broker in this JVM, which the tests stop and start again on the same
 * port and data: one broker for the class, left running by every test.
 */
class KafkaSampleSinkIT {

  private static final Duration WAIT = Duration.ofSeconds(30);
  // Short, so that a send to a stopped broker fails within the test's patience.
  private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(1);
  // Far above what publish costs (a lock and a deque), and a GC pause in this JVM that just
  // stopped a broker; below the delivery timeout, which a publish blocked on the producer takes.
  private static final long PUBLISH_LIMIT_NS = 500_000_000L;
  private static final AtomicLong STARTS = new AtomicLong(1_700_000_000L);

  @TempDir static Path dir;
  private static EmbeddedKafka kafka;

  private final MeterRegistry meters = new SimpleMeterRegistry();

  @BeforeAll
  static void startBroker() {
    kafka = new EmbeddedKafka(dir, 0);
    kafka.start();
    try (Admin admin = kafka.admin()) {
      TopicsCreator.ensure(admin, WAIT);
    }
  }

  @AfterAll
  static void stopBroker() {
    kafka.close();
  }

  @Test
  void samplesReachTheTopicKeyedByHostIdAndDecode() {
    Stream stream = new Stream("host-a");
    List<HostSample> sent;
    try (KafkaSampleSink sink = new KafkaSampleSink(settings(), meters)) {
      sent = List.of(stream.next(), stream.next(), stream.next());
      sent.forEach(sink::publish);
      await(() -> counter("delivered") == 3, "3 samples delivered");
      assertThat(meters.get("kvmmp.probe.samples.buffered").gauge().value()).isZero();
    }

    List<ConsumerRecord<String, HostSample>> records = stream.records();
    assertThat(records).extracting(ConsumerRecord::key).containsOnly("host-a");
    assertThat(records).extracting(ConsumerRecord::value).containsExactlyElementsOf(sent);
    assertThat(meters.find("kvmmp.probe.samples.delivered").meters())
        .as("meters removed at close").isEmpty();
  }

  @Test
  void deliversEverySampleWithoutAGapAcrossABrokerRestart() throws Exception {
    Stream stream = new Stream("host-b");
    long slowest;
    try (KafkaSampleSink sink = new KafkaSampleSink(settings(), meters)) {
      for (int i = 0; i < 3; i++) {
        sink.publish(stream.next());
      }
      await(() -> counter("delivered") == 3, "3 samples delivered before the stop");
      kafka.stop();
      try {
        slowest = 0;
        for (int i = 0; i < 10; i++) {
          slowest = Math.max(slowest, timedPublish(sink, stream.next()));
          Thread.sleep(100);
        }
      } finally {
        kafka.start();
      }
      await(() -> sink.kept() == 0, "every kept sample acknowledged after the restart");
      assertThat(counter("dropped")).isZero();
    }

    TreeSet<Long> sequences = new TreeSet<>();
    stream.records().forEach(r -> sequences.add(r.value().getSequence()));
    assertThat(sequences).containsExactlyElementsOf(LongStream.rangeClosed(1, 13).boxed()
        .toList());
    assertThat(slowest).as("slowest publish while the broker was down, ns")
        .isLessThan(PUBLISH_LIMIT_NS);
    System.out.printf("KafkaSampleSinkIT: slowest publish with the broker down: %.3f ms%n",
        slowest / 1e6);
  }

  @Test
  void dropsTheOldestBeyondTheBoundAndDeliversExactlyTheNewestAfterARestart() throws Exception {
    Stream stream = new Stream("host-c");
    try (KafkaSampleSink sink = new KafkaSampleSink(settings().withBound(5), meters)) {
      sink.publish(stream.next());
      await(() -> counter("delivered") == 1, "sample 1 delivered before the stop");
      kafka.stop();
      try {
        sink.publish(stream.next());
        // Until its send fails, sample 2 is in the producer and cannot be recalled.
        await(() -> !sink.reachable() && sink.inFlight() == 0, "the sink sees the broker gone");
        for (int i = 0; i < 11; i++) {
          assertThat(timedPublish(sink, stream.next())).isLessThan(PUBLISH_LIMIT_NS);
        }
        assertThat(counter("dropped")).as("samples 2..8").isEqualTo(7);
        assertThat(meters.get("kvmmp.probe.samples.buffered").gauge().value()).isEqualTo(5);
      } finally {
        kafka.start();
      }
      await(() -> sink.kept() == 0, "the kept samples acknowledged after the restart");
      assertThat(counter("delivered")).isEqualTo(6);
    }

    assertThat(stream.records()).extracting(r -> r.value().getSequence())
        .containsExactly(1L, 9L, 10L, 11L, 12L, 13L);
  }

  private static KafkaSinkSettings settings() {
    return KafkaSinkSettings.of(kafka.bootstrapServers()).withDeliveryTimeout(DELIVERY_TIMEOUT)
        .withCloseTimeout(WAIT);
  }

  private static long timedPublish(KafkaSampleSink sink, HostSample sample) {
    long start = System.nanoTime();
    sink.publish(sample);
    return System.nanoTime() - start;
  }

  private double counter(String name) {
    return meters.get("kvmmp.probe.samples." + name).functionCounter().count();
  }

  private static void await(BooleanSupplier condition, String what) throws RuntimeException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + WAIT.toSeconds() + " s: " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for: " + what, e);
      }
    }
  }

  /** The samples of one probe run: one host, one start time, sequence 1, 2, 3, ... */
  private static final class Stream {
    private final String hostId;
    private final Timestamp startedAt = Timestamp.newBuilder()
        .setSeconds(STARTS.getAndIncrement()).build();
    private long sequence;

    Stream(String hostId) {
      this.hostId = hostId;
    }

    HostSample next() {
      sequence++;
      return HostSample.newBuilder().setHostId(hostId).setProbeStartedAt(startedAt)
          .setSequence(sequence).setMonotonicNs(sequence * 1_000_000_000L)
          .setKind(SampleKind.SAMPLE_KIND_PERIODIC)
          .addVms(VmCounters.newBuilder().setVmIdentity("vm-1").setSource("qmp")
              .putStats("exits", 1000 * sequence))
          .build();
    }

    /** This stream's records on the topic, in the order of their partition. */
    List<ConsumerRecord<String, HostSample>> records() {
      return HostSamplesTopic.readAll(kafka.bootstrapServers()).stream()
          .filter(r -> r.value().getHostId().equals(hostId)
              && r.value().getProbeStartedAt().equals(startedAt))
          .toList();
    }
  }
}

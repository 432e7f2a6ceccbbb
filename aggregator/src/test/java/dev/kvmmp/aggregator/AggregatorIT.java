package dev.kvmmp.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import com.google.protobuf.util.Timestamps;
import dev.kvmmp.kafka.EmbeddedKafka;
import dev.kvmmp.proto.v1.Experiment;
import dev.kvmmp.proto.v1.ExperimentComparison;
import dev.kvmmp.proto.v1.ExperimentSpec;
import dev.kvmmp.proto.v1.ExperimentState;
import dev.kvmmp.proto.v1.Fleet;
import dev.kvmmp.proto.v1.FleetComparison;
import dev.kvmmp.proto.v1.HostSample;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunReport;
import dev.kvmmp.proto.v1.RunResult;
import dev.kvmmp.proto.v1.RunState;
import dev.kvmmp.proto.v1.SampleKind;
import dev.kvmmp.proto.v1.TcpRr;
import dev.kvmmp.proto.v1.VmCounters;
import dev.kvmmp.proto.v1.Workload;
import dev.kvmmp.topics.KvmmpTopics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The aggregator on a real broker, exactly once: an experiment, its runs and the snapshots of a
 * bracketed one, written as the coordinator and the probe write them, become run reports and a
 * comparison that finds the faster fleet; the aggregator stopped and started again carries on
 * from its stores.
 */
class AggregatorIT {

  @TempDir
  Path dir;

  private EmbeddedKafka kafka;
  private KafkaProducer<String, byte[]> producer;

  @BeforeEach
  void start() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      kafka = new EmbeddedKafka(dir.resolve("kafka"), socket.getLocalPort());
    }
    kafka.start();
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  @AfterEach
  void stop() {
    if (producer != null) {
      producer.close();
    }
    kafka.close();
  }

  @Test
  void runsAndSnapshotsBecomeReportsAndAComparisonThatFindsTheFasterFleet() throws Exception {
    Aggregator aggregator = startAggregator();
    send(KvmmpTopics.EXPERIMENTS, "e-it", experiment());
    Random random = new Random(7);
    List<Run> runs = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      String fleet = i % 2 == 0 ? "base" : "fast";
      runs.add(run(i, fleet, fleet.equals("base") ? 60_000 : 40_000, random, i == 0));
    }
    for (HostSample sample : snapshotsOf(runs.get(0))) {
      send(KvmmpTopics.HOST_SAMPLES, "h1", sample);
    }
    for (Run run : runs.subList(0, 8)) {
      send(KvmmpTopics.RUNS, run.getId(), run);
    }
    aggregator.close();
    aggregator = startAggregator();
    for (Run run : runs.subList(8, 12)) {
      send(KvmmpTopics.RUNS, run.getId(), run);
    }

    Map<String, RunReport> reports = awaitLatest(KvmmpTopics.RUN_REPORTS, RunReport.parser(),
        latest -> latest.size() == 12);
    ExperimentComparison comparison = awaitLatest(KvmmpTopics.COMPARISONS,
        ExperimentComparison.parser(), latest -> latest.containsKey("e-it")
            && latest.get("e-it").getComparisonsCount() == 1
            && latest.get("e-it").getComparisons(0).getRuns() == 6
            && latest.get("e-it").getComparisons(0).getBaselineRuns() == 6).get("e-it");
    aggregator.close();

    RunReport bracketed = reports.get(runs.get(0).getId());
    assertThat(bracketed.hasHost()).as("joined with its snapshots").isTrue();
    assertThat(bracketed.getHost().getExits()).isGreaterThan(0);
    assertThat(reports.get(runs.get(1).getId()).hasHost()).isFalse();
    FleetComparison fast = comparison.getComparisons(0);
    assertThat(fast.getBaselineFleet()).isEqualTo("base");
    assertThat(fast.getFleet()).isEqualTo("fast");
    assertThat(fast.getP50().getRatio()).isBetween(0.6, 0.73);
    assertThat(fast.getVerdict()).startsWith("fast faster by");
  }

  private Aggregator startAggregator() {
    return Aggregator.start(Aggregators.topology(new AggregatorMetrics(new SimpleMeterRegistry()),
        Duration.ofSeconds(10)), kafka.bootstrapServers(), dir.resolve("streams"),
        Duration.ofSeconds(60));
  }

  private static Experiment experiment() {
    return Experiment.newBuilder().setId("e-it").setState(ExperimentState.EXPERIMENT_STATE_RUNNING)
        .setSpec(ExperimentSpec.newBuilder().setName("it")
            .addWorkloads(Workload.newBuilder().setName("tcp_rr").setTcpRr(TcpRr.newBuilder()))
            .addFleets(Fleet.newBuilder().setName("base"))
            .addFleets(Fleet.newBuilder().setName("fast")))
        .build();
  }

  /** A succeeded run whose round trips centre on {@code centreNs}; vms and hosts spread. */
  private static Run run(int i, String fleet, long centreNs, Random random, boolean bracketed) {
    Histogram histogram = new Histogram(3);
    for (int t = 0; t < 5_000; t++) {
      histogram.recordValue(Math.max(1, (long) (centreNs * (1 + 0.1 * random.nextGaussian()))));
    }
    ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
    int length = histogram.encodeIntoCompressedByteBuffer(buffer);
    return Run.newBuilder()
        .setId(String.format("e-it-r%04d", i)).setExperimentId("e-it").setFleet(fleet)
        .setWorkloadIndex(0).setWorkload(Workload.newBuilder().setName("tcp_rr"))
        .setRepetition(i / 2).setAttempt(1).setState(RunState.RUN_STATE_SUCCEEDED)
        .setWorkerId("w" + (i % 4)).setVmIdentity("vm-" + (i % 4))
        .setHostId(bracketed ? "h1" : "").setBracketed(bracketed)
        .setResult(RunResult.newBuilder()
            .setHistogram(ByteString.copyFrom(buffer.array(), 0, length))
            .setTransactions(histogram.getTotalCount())
            .setWindowStart(Timestamps.fromMillis(1_000_000))
            .setWindowEnd(Timestamps.fromMillis(1_001_000))
            .setWindowNs(1_000_000_000L))
        .build();
  }

  private static List<HostSample> snapshotsOf(Run run) {
    List<HostSample> samples = new ArrayList<>();
    SampleKind[] kinds = {SampleKind.SAMPLE_KIND_IDLE_BASELINE,
        SampleKind.SAMPLE_KIND_IDLE_BASELINE_END, SampleKind.SAMPLE_KIND_WINDOW_START,
        SampleKind.SAMPLE_KIND_WINDOW_END};
    long[] exits = {1_000, 1_010, 1_020, 11_020};
    long[] monotonic = {0, 500_000_000L, 510_000_000L, 1_530_000_000L};
    for (int k = 0; k < kinds.length; k++) {
      samples.add(HostSample.newBuilder().setHostId("h1").setRunId(run.getId())
          .setKind(kinds[k]).setSequence(10 + k).setMonotonicNs(monotonic[k])
          .setTakenAt(Timestamps.fromMillis(999_490 + monotonic[k] / 1_000_000))
          .addVms(VmCounters.newBuilder().setVmIdentity(run.getVmIdentity()).setSource("qmp")
              .putStats("exits", exits[k]).putStats("halt_exits", exits[k] / 2))
          .build());
    }
    return samples;
  }

  private void send(String topic, String key, Message value) throws Exception {
    producer.send(new ProducerRecord<>(topic, key, value.toByteArray())).get();
  }

  private interface Done<T> {
    boolean test(Map<String, T> latest);
  }

  /** The latest value per key of a topic, read until {@code done} holds (at most 90 s). */
  private <T> Map<String, T> awaitLatest(String topic, Parser<T> parser, Done<T> done)
      throws Exception {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + topic);
    Map<String, T> latest = new HashMap<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props,
        new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (!done.test(latest)) {
        assertThat(System.nanoTime()).as("%s complete in time: %s", topic, latest.keySet())
            .isLessThan(deadline);
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          latest.put(record.key(), parser.parseFrom(record.value()));
        }
      }
    }
    return latest;
  }
}

package dev.kvmmp.cli.bench;

import com.google.protobuf.Message;
import dev.kvmmp.proto.v1.Experiment;
import dev.kvmmp.proto.v1.ExperimentSpec;
import dev.kvmmp.proto.v1.ExperimentState;
import dev.kvmmp.proto.v1.Fleet;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunState;
import dev.kvmmp.proto.v1.SampleKind;
import dev.kvmmp.proto.v1.TcpRr;
import dev.kvmmp.proto.v1.Workload;
import dev.kvmmp.topics.KvmmpTopics;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes a simulated fleet's host samples, one periodic sample per host per second spread
 * evenly over the second, and a steady stream of bracketed runs (four tagged snapshots on
 * kvmmp.host-samples, then the ended run on kvmmp.runs) of an experiment with two fleets.
 * Remembers when each run was sent, for the end-to-end lag.
 */
final class FleetGenerator implements AutoCloseable {

  static final String EXPERIMENT_ID = "bench-aggregator";
  static final String[] FLEETS = {"base", "alt"};
  private static final long TICK_MILLIS = 10;
  private static final SampleKind[] BRACKETS = {SampleKind.SAMPLE_KIND_IDLE_BASELINE,
      SampleKind.SAMPLE_KIND_IDLE_BASELINE_END, SampleKind.SAMPLE_KIND_WINDOW_START,
      SampleKind.SAMPLE_KIND_WINDOW_END};
  private static final long[] BRACKET_OFFSET_MILLIS = {1_600, 1_100, 1_000, 0};

  private final AggregatorBenchSetup setup;
  private final KafkaProducer<String, byte[]> producer;
  private final SimulatedResult result = new SimulatedResult();
  private final Map<String, Long> runSentNanos = new ConcurrentHashMap<>();
  private final LongAdder samplesAcked = new LongAdder();
  private final LongAdder bytesAcked = new LongAdder();
  private final AtomicReference<Exception> failure = new AtomicReference<>();
  private volatile int runsSent;

  FleetGenerator(AggregatorBenchSetup setup, String bootstrapServers) {
    this.setup = setup;
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    props.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
    props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 256L << 20);
    props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
    producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
  }

  /** Sends the experiment the runs belong to, so that the aggregator compares its fleets. */
  void sendExperiment() throws TrialException {
    ExperimentSpec.Builder spec = ExperimentSpec.newBuilder().setName("bench aggregator")
        .addWorkloads(Workload.newBuilder().setName("tcp_rr").setTcpRr(TcpRr.newBuilder()));
    for (String fleet : FLEETS) {
      spec.addFleets(Fleet.newBuilder().setName(fleet));
    }
    Experiment experiment = Experiment.newBuilder().setId(EXPERIMENT_ID).setSpec(spec)
        .setState(ExperimentState.EXPERIMENT_STATE_RUNNING).build();
    try {
      producer.send(new ProducerRecord<>(KvmmpTopics.EXPERIMENTS, EXPERIMENT_ID,
          experiment.toByteArray())).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new TrialException("cannot send the experiment to " + KvmmpTopics.EXPERIMENTS + ": "
          + e, e);
    }
  }

  /**
   * Publishes for {@code setup.seconds()}, paced on the wall clock; a generator that falls
   * behind catches up as fast as the producer lets it, which shows as a lower input rate.
   */
  /** @return System.nanoTime() when the last sample was acknowledged */
  long run() throws TrialException {
    long startMillis = System.currentTimeMillis();
    long start = System.nanoTime();
    SimulatedHostSamples samples = new SimulatedHostSamples(setup.hosts(), setup.vms(),
        startMillis);
    int seconds = setup.warmupSeconds() + setup.seconds();
    long totalMillis = seconds * 1000L;
    long samplesDone = 0;
    int runsDone = 0;
    for (long elapsed = 0; elapsed <= totalMillis; elapsed += TICK_MILLIS) {
      Pacing.sleepUntil(start + TimeUnit.MILLISECONDS.toNanos(elapsed), "publishing");
      long samplesDue = Math.min(setup.hosts() * (long) seconds,
          setup.hosts() * elapsed / 1000);
      long now = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      for (; samplesDone < samplesDue; samplesDone++) {
        int host = (int) (samplesDone % setup.hosts());
        send(KvmmpTopics.HOST_SAMPLES, SimulatedHostSamples.hostId(host),
            samples.periodic(host, now), true);
      }
      long runsDue = Math.min((long) setup.runsPerSecond() * seconds,
          setup.runsPerSecond() * elapsed / 1000);
      for (; runsDone < runsDue; runsDone++) {
        sendRun(samples, runsDone, now);
      }
      Exception failed = failure.get();
      if (failed != null) {
        throw new TrialException("the generator's producer failed: " + failed, failed);
      }
    }
    producer.flush();
    return System.nanoTime();
  }

  private void sendRun(SimulatedHostSamples samples, int index, long now) {
    int host = (int) ((index * 7_919L) % setup.hosts());
    int vm = index % setup.vms();
    String runId = String.format("%s-r%06d", EXPERIMENT_ID, index);
    for (int k = 0; k < BRACKETS.length; k++) {
      long at = Math.max(0, now - BRACKET_OFFSET_MILLIS[k]);
      send(KvmmpTopics.HOST_SAMPLES, SimulatedHostSamples.hostId(host),
          samples.tagged(host, vm, at, BRACKETS[k], runId), true);
    }
    Instant windowEnd = Instant.now();
    Instant windowStart = windowEnd.minusMillis(1_000);
    Run run = Run.newBuilder()
        .setId(runId).setExperimentId(EXPERIMENT_ID).setFleet(FLEETS[index % FLEETS.length])
        .setWorkloadIndex(0).setWorkload(Workload.newBuilder().setName("tcp_rr"))
        .setRepetition(index / FLEETS.length).setAttempt(1)
        .setState(RunState.RUN_STATE_SUCCEEDED)
        .setWorkerId("bench-w" + host + "-" + vm)
        .setVmIdentity(SimulatedHostSamples.vmIdentity(host, vm))
        .setHostId(SimulatedHostSamples.hostId(host)).setBracketed(true)
        .setResult(result.between(windowStart, windowEnd, Duration.ofSeconds(1).toNanos()))
        .build();
    runSentNanos.put(runId, System.nanoTime());
    send(KvmmpTopics.RUNS, runId, run, false);
    runsSent = index + 1;
  }

  private void send(String topic, String key, Message value, boolean sample) {
    byte[] bytes = value.toByteArray();
    producer.send(new ProducerRecord<>(topic, key, bytes), (metadata, e) -> {
      if (e != null) {
        failure.compareAndSet(null, e);
      } else if (sample) {
        samplesAcked.increment();
        bytesAcked.add(bytes.length);
      }
    });
  }

  /** When run {@code runId} went to the producer (System.nanoTime), or null if unknown. */
  Long runSentNanos(String runId) {
    return runSentNanos.get(runId);
  }

  /** Runs sent at or after {@code nanos} (System.nanoTime). */
  int runsSentSince(long nanos) {
    return (int) runSentNanos.values().stream().filter(sent -> sent >= nanos).count();
  }

  int runsSent() {
    return runsSent;
  }

  /** Host samples (periodic and tagged) the broker acknowledged so far. */
  long samplesAcked() {
    return samplesAcked.sum();
  }

  /** Their serialized size, before compression. */
  long bytesAcked() {
    return bytesAcked.sum();
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(30));
  }
}

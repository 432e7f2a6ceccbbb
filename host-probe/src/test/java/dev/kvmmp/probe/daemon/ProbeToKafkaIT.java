package dev.kvmmp.probe.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvmmp.kafka.EmbeddedKafka;
import dev.kvmmp.probe.qmp.QemuVm;
import dev.kvmmp.probe.streaming.HostSamplesTopic;
import dev.kvmmp.proto.v1.HostSample;
import dev.kvmmp.proto.v1.VmCounters;
import dev.kvmmp.topics.TopicsCreator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe daemon as a fleet runs it, without a coordinator: a real QEMU/KVM VM on this host,
 * samples every 200 ms, published through the Kafka sink to a real broker, read back as a
 * consumer of {@code kvmmp.host-samples} would.
 */
class ProbeToKafkaIT {

  @TempDir
  Path dir;

  @Test
  void publishesNumberedSamplesOfARealVmToKafka() throws Exception {
    Assumptions.assumeTrue(Files.exists(Path.of("/dev/kvm")), "no /dev/kvm");
    String hostId = "it-kafka-host-" + ProcessHandle.current().pid();
    try (EmbeddedKafka kafka = new EmbeddedKafka(dir.resolve("kafka"), 0)) {
      kafka.start();
      try (Admin admin = kafka.admin()) {
        TopicsCreator.ensure(admin, Duration.ofSeconds(30));
      }
      String uuid;
      try (QemuVm vm = QemuVm.start()) {
        uuid = vm.uuid();
        ProbeConfig config = new ProbeConfig(Optional.empty(),
            Optional.of(kafka.bootstrapServers()), Optional.of(hostId), Duration.ofMillis(200),
            Path.of("/"), dir.resolve("state"), "127.0.0.1", OptionalInt.empty(),
            Duration.ofSeconds(1), ProbeConfig.ALL_KNOBS);
        try (ProbeDaemon daemon = ProbeDaemon.start(config,
            registry -> SampleSinks.create(config.kafka(), registry))) {
          awaitSampleOf(kafka, hostId, uuid);
        }
      }

      List<HostSample> samples = published(kafka, hostId);
      assertThat(samples).extracting(HostSample::getSequence).as("no gap, no duplicate")
          .containsExactlyElementsOf(LongStream.rangeClosed(1, samples.size()).boxed().toList());
      VmCounters counters = samples.stream().flatMap(s -> s.getVmsList().stream())
          .filter(v -> v.getVmIdentity().equals(uuid) && v.getStatsCount() > 0)
          .reduce((first, last) -> last).orElseThrow();
      assertThat(counters.getSource()).isEqualTo("qmp");
      assertThat(counters.getStatsOrThrow("exits")).isPositive();
      assertThat(samples.get(samples.size() - 1).getKnobsList())
          .extracting(k -> k.getName()).contains("halt_poll_ns");
    }
  }

  private static void awaitSampleOf(EmbeddedKafka kafka, String hostId, String uuid)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      boolean seen = published(kafka, hostId).stream().flatMap(s -> s.getVmsList().stream())
          .anyMatch(v -> v.getVmIdentity().equals(uuid) && v.getStatsCount() > 0);
      if (seen) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("no sample of VM " + uuid + " from host " + hostId
        + " reached Kafka within 30 s");
  }

  private static List<HostSample> published(EmbeddedKafka kafka, String hostId) {
    return HostSamplesTopic.readAll(kafka.bootstrapServers()).stream()
        .filter(r -> r.key().equals(hostId))
        .map(ConsumerRecord::value)
        .sorted((a, b) -> Long.compare(a.getSequence(), b.getSequence()))
        .toList();
  }
}

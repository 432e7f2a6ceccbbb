package dev.kvmmp.topics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvmmp.kafka.EmbeddedKafka;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The kvmmp topics on a real broker: the missing ones created as specified, the rest left. */
class TopicsCreatorIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @TempDir Path dir;

  @Test
  void createsTheMissingTopicsWithTheirSettingsAndLeavesExistingOnes() throws Exception {
    try (EmbeddedKafka kafka = new EmbeddedKafka(dir, 0)) {
      kafka.start();
      try (Admin admin = kafka.admin()) {
        admin.createTopics(List.of(new NewTopic(KvmmpTopics.RUNS, 1, (short) 1))).all()
            .get(30, TimeUnit.SECONDS);

        List<String> created = TopicsCreator.ensure(admin, TIMEOUT);

        assertThat(created).containsExactlyInAnyOrder(KvmmpTopics.HOST_SAMPLES,
            KvmmpTopics.EXPERIMENTS, KvmmpTopics.RUN_REPORTS, KvmmpTopics.COMPARISONS);
        assertThat(TopicsCreator.ensure(admin, TIMEOUT)).as("second run").isEmpty();
        Map<String, TopicDescription> topics = admin.describeTopics(KvmmpTopics.all().stream()
            .map(TopicSpec::name).toList()).allTopicNames().get(30, TimeUnit.SECONDS);
        assertThat(topics.get(KvmmpTopics.HOST_SAMPLES).partitions()).hasSize(6);
        assertThat(topics.get(KvmmpTopics.RUNS).partitions()).as("left as it was").hasSize(1);
        assertThat(topics.get(KvmmpTopics.HOST_SAMPLES).partitions().get(0).replicas())
            .hasSize(1);
        Config samples = config(admin, KvmmpTopics.HOST_SAMPLES);
        assertThat(samples.get(TopicConfig.CLEANUP_POLICY_CONFIG).value()).isEqualTo("delete");
        assertThat(samples.get(TopicConfig.RETENTION_MS_CONFIG).value())
            .isEqualTo(Long.toString(Duration.ofDays(7).toMillis()));
        assertThat(config(admin, KvmmpTopics.RUN_REPORTS).get(TopicConfig.CLEANUP_POLICY_CONFIG)
            .value()).isEqualTo("compact");
      }
    }
  }

  private static Config config(Admin admin, String topic) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    return admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS)
        .get(resource);
  }
}

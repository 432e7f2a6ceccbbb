package dev.kvmmp.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

class TopicsCreatorTest {

  @Test
  void replicatesAsOftenAsThereAreBrokersUpToThree() {
    assertThat(TopicsCreator.replicationFactor(1)).isEqualTo((short) 1);
    assertThat(TopicsCreator.replicationFactor(2)).isEqualTo((short) 2);
    assertThat(TopicsCreator.replicationFactor(3)).isEqualTo((short) 3);
    assertThat(TopicsCreator.replicationFactor(9)).isEqualTo((short) 3);
    assertThatThrownBy(() -> TopicsCreator.replicationFactor(0))
        .hasMessage("brokers must be >= 1, was 0");
  }

  @Test
  void asksForTwoInSyncReplicasOnlyWhereThereAreThree() {
    TopicSpec samples = KvmmpTopics.spec(KvmmpTopics.HOST_SAMPLES);

    assertThat(TopicsCreator.configs(samples, (short) 3))
        .containsEntry(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "2")
        .containsAllEntriesOf(samples.configs());
    assertThat(TopicsCreator.configs(samples, (short) 1))
        .doesNotContainKey(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG)
        .isEqualTo(samples.configs());
  }

  @Test
  void namesTheKnownTopicsWhenAskedForAnUnknownOne() {
    assertThatThrownBy(() -> KvmmpTopics.spec("kvmmp.host-sample"))
        .hasMessageStartingWith("'kvmmp.host-sample' is not a kvmmp topic; known: [")
        .hasMessageContaining(KvmmpTopics.HOST_SAMPLES);
  }
}

package dev.kvmmp.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Timestamp;
import dev.kvmmp.proto.v1.HostSample;
import dev.kvmmp.proto.v1.MsrWriteCount;
import dev.kvmmp.proto.v1.SampleKind;
import dev.kvmmp.proto.v1.VmCounters;
import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class ProtoSerdeTest {

  private final ProtoSerde<HostSample> serde = ProtoSerde.of(HostSample.getDefaultInstance());

  private static final HostSample SAMPLE = HostSample.newBuilder()
      .setHostId("host-a").setSequence(42).setMonotonicNs(123_456_789L)
      .setKind(SampleKind.SAMPLE_KIND_WINDOW_START).setRunId("r-7")
      .setProbeStartedAt(Timestamp.newBuilder().setSeconds(1_700_000_000L).setNanos(5))
      .addVms(VmCounters.newBuilder().setVmIdentity("uuid-1").setSource("qmp")
          .putStats("exits", 1000).putEvents("kvm:kvm_apic_ipi", 7)
          .addMsrWrites(MsrWriteCount.newBuilder().setMsr(0x830).setName("ICR").setCount(3)))
      .build();

  @Test
  void readsBackTheMessageItWrote() {
    byte[] bytes = serde.serializer().serialize(KvmmpTopics.HOST_SAMPLES, SAMPLE);

    assertThat(serde.deserializer().deserialize(KvmmpTopics.HOST_SAMPLES, bytes))
        .isEqualTo(SAMPLE);
  }

  @Test
  void readsAMessageInPlaceFromTheMiddleOfABuffer() {
    byte[] bytes = SAMPLE.toByteArray();
    ByteBuffer buffer = ByteBuffer.allocate(bytes.length + 10);
    buffer.position(4);
    buffer.put(bytes);
    buffer.position(4).limit(4 + bytes.length);

    assertThat(serde.deserializer()
        .deserialize(KvmmpTopics.HOST_SAMPLES, new RecordHeaders(), buffer)).isEqualTo(SAMPLE);
  }

  @Test
  void keepsNullAsATombstoneBothWays() {
    assertThat(serde.serializer().serialize(KvmmpTopics.RUNS, null)).isNull();
    assertThat(serde.deserializer().deserialize(KvmmpTopics.RUNS, (byte[]) null)).isNull();
    assertThat(serde.deserializer()
        .deserialize(KvmmpTopics.RUNS, new RecordHeaders(), (ByteBuffer) null)).isNull();
  }

  @Test
  void namesTopicTypeAndSizeOfBytesThatAreNotTheMessage() {
    // Field 1 (host_id) announces 5 bytes of string and ends after 2.
    byte[] truncated = {0x0a, 0x05, 'a', 'b'};

    assertThatThrownBy(() -> serde.deserializer().deserialize("kvmmp.host-samples", truncated))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("topic 'kvmmp.host-samples'")
        .hasMessageContaining("4 bytes are not a valid kvmmp.v1.HostSample");
  }
}

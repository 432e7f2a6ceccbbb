package dev.kvmmp.topics;

import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import java.util.Objects;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Kafka serde for one proto message type: the message's standard binary encoding, nothing
 * around it. A null value stays null both ways, so tombstones reach compacted topics.
 *
 * <pre>{@code Serde<HostSample> serde = ProtoSerde.of(HostSample.getDefaultInstance());}</pre>
 *
 * @param <T> the message type
 */
public final class ProtoSerde<T extends Message> implements Serde<T> {

  private final ProtoSerializer<T> serializer = new ProtoSerializer<>();
  private final ProtoDeserializer<T> deserializer;

  private ProtoSerde(Parser<T> parser, String typeName) {
    this.deserializer = new ProtoDeserializer<>(parser, typeName);
  }

  /** The serde of {@code defaultInstance}'s type, e.g. {@code HostSample.getDefaultInstance()}. */
  public static <T extends Message> ProtoSerde<T> of(T defaultInstance) {
    Objects.requireNonNull(defaultInstance, "defaultInstance");
    // A generated message's parser always parses its own type.
    @SuppressWarnings("unchecked")
    Parser<T> parser = (Parser<T>) defaultInstance.getParserForType();
    return new ProtoSerde<>(parser, defaultInstance.getDescriptorForType().getFullName());
  }

  @Override
  public Serializer<T> serializer() {
    return serializer;
  }

  @Override
  public Deserializer<T> deserializer() {
    return deserializer;
  }
}

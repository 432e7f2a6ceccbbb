package dev.kvmmp.topics;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads a proto message from its binary encoding; null stays null (a tombstone). Bytes that are
 * not a valid message fail with a {@link SerializationException} naming the topic, the type and
 * the size.
 *
 * @param <T> the message type
 */
public final class ProtoDeserializer<T extends Message> implements Deserializer<T> {

  private final Parser<T> parser;
  private final String typeName;

  /**
   * @param typeName the message's full proto name, for errors
   */
  public ProtoDeserializer(Parser<T> parser, String typeName) {
    this.parser = Objects.requireNonNull(parser, "parser");
    this.typeName = Objects.requireNonNull(typeName, "typeName");
  }

  @Override
  public T deserialize(String topic, byte[] data) {
    if (data == null) {
      return null;
    }
    try {
      return parser.parseFrom(data);
    } catch (InvalidProtocolBufferException e) {
      throw invalid(topic, data.length, e);
    }
  }

  @Override
  public T deserialize(String topic, Headers headers, ByteBuffer data) {
    // Parses in place: the consumer's buffer need not be copied to an array first.
    if (data == null) {
      return null;
    }
    int size = data.remaining();
    try {
      return parser.parseFrom(data);
    } catch (InvalidProtocolBufferException e) {
      throw invalid(topic, size, e);
    }
  }

  private SerializationException invalid(String topic, int size,
      InvalidProtocolBufferException e) {
    return new SerializationException("topic '" + topic + "': " + size + " bytes are not a valid "
        + typeName + ": " + e.getMessage(), e);
  }
}

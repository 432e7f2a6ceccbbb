package dev.kvmmp.topics;

import com.google.protobuf.Message;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes a proto message in its binary encoding; null stays null (a tombstone).
 *
 * @param <T> the message type
 */
public final class ProtoSerializer<T extends Message> implements Serializer<T> {

  @Override
  public byte[] serialize(String topic, T message) {
    return message == null ? null : message.toByteArray();
  }
}

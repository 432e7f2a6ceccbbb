package dev.kvmmp.probe.daemon;

import dev.kvmmp.probe.sampling.SampleSink;
import java.lang.reflect.InvocationTargetException;
import java.util.Optional;

/** Chooses where samples go: Kafka when a bootstrap address is given, else the log. */
public final class SampleSinks {

  /**
   * Looked up by name so that this module builds before the Kafka sink exists; once it has
   * landed, a plain {@code new} replaces the lookup.
   */
  static final String KAFKA_SINK = "dev.kvmmp.probe.streaming.KafkaSampleSink";

  private SampleSinks() {
  }

  /**
   * @param kafka bootstrap servers, e.g. {@code 127.0.0.1:9092}
   * @throws IllegalArgumentException when Kafka is asked for and this build cannot give it
   */
  public static SampleSink create(Optional<String> kafka, String hostId) {
    if (kafka.isEmpty()) {
      return new LoggingSampleSink();
    }
    try {
      return (SampleSink) Class.forName(KAFKA_SINK)
          .getConstructor(String.class, String.class)
          .newInstance(kafka.get(), hostId);
    } catch (ClassNotFoundException | NoSuchMethodException e) {
      throw new IllegalArgumentException("--kafka " + kafka.get() + ": this build has no Kafka "
          + "sink (" + KAFKA_SINK + "(String bootstrap, String hostId)); run without --kafka to "
          + "log samples instead", e);
    } catch (InvocationTargetException e) {
      throw new IllegalArgumentException("--kafka " + kafka.get() + ": "
          + e.getCause().getMessage(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalArgumentException("--kafka " + kafka.get() + ": cannot create "
          + KAFKA_SINK + " (" + e + ")", e);
    }
  }
}

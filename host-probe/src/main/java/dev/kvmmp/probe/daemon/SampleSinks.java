package dev.kvmmp.probe.daemon;

import dev.kvmmp.probe.sampling.SampleSink;
import dev.kvmmp.probe.streaming.KafkaSampleSink;
import dev.kvmmp.probe.streaming.KafkaSinkSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Optional;

/** Chooses where samples go: Kafka when a bootstrap address is given, else the log. */
public final class SampleSinks {

  private SampleSinks() {
  }

  /**
   * @param kafka bootstrap servers, e.g. {@code 127.0.0.1:9092}; the broker need not be up yet
   * @param registry where the sink's meters (kept, delivered, dropped samples) go
   */
  public static SampleSink create(Optional<String> kafka, MeterRegistry registry) {
    return kafka.<SampleSink>map(bootstrap ->
            new KafkaSampleSink(KafkaSinkSettings.of(bootstrap), registry))
        .orElseGet(LoggingSampleSink::new);
  }
}

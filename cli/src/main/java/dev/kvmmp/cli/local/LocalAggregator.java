package dev.kvmmp.cli.local;

import dev.kvmmp.aggregator.Aggregator;
import dev.kvmmp.aggregator.AggregatorMetrics;
import dev.kvmmp.aggregator.Aggregators;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;

/** The aggregator in this process: run reports and fleet comparisons on the local Kafka. */
public final class LocalAggregator implements AutoCloseable {

  /** Long enough for a probe's end-of-window snapshot, short for a local run without one. */
  private static final Duration REPORT_TIMEOUT = Duration.ofSeconds(15);
  private static final Duration TOPICS_TIMEOUT = Duration.ofSeconds(60);

  private final Aggregator aggregator;
  private final Path stateDir;

  private LocalAggregator(Aggregator aggregator, Path stateDir) {
    this.aggregator = aggregator;
    this.stateDir = stateDir;
  }

  /** @throws LocalStartException when it cannot start on {@code kafka} */
  public static LocalAggregator start(String kafka, Path stateDir) throws LocalStartException {
    try {
      return new LocalAggregator(Aggregator.start(Aggregators.topology(
              new AggregatorMetrics(new SimpleMeterRegistry()), REPORT_TIMEOUT), kafka, stateDir,
          TOPICS_TIMEOUT), stateDir);
    } catch (RuntimeException e) {
      throw new LocalStartException("the aggregator did not start: " + e.getMessage(), e);
    }
  }

  public String describe() {
    return "aggregator running (Kafka Streams, state in " + stateDir + ")";
  }

  @Override
  public void close() {
    aggregator.close();
  }
}

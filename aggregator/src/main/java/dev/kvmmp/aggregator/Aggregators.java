package dev.kvmmp.aggregator;

import java.time.Duration;
import org.apache.kafka.streams.Topology;

/** The aggregator's topology with the real report builder and comparer, watched by metrics. */
public final class Aggregators {

  private Aggregators() {}

  public static Topology topology(AggregatorMetrics metrics, Duration reportTimeout) {
    return AggregatorTopology.build(metrics.watching(reportBuilder()),
        metrics.watching(comparer()), reportTimeout);
  }

  static ReportBuilder reportBuilder() {
    throw new UnsupportedOperationException("wired when the report module lands");
  }

  static Comparer comparer() {
    throw new UnsupportedOperationException("wired when the stats module lands");
  }
}

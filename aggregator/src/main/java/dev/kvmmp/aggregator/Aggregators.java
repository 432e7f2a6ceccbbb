package dev.kvmmp.aggregator;

import dev.kvmmp.aggregator.report.ReportSettings;
import dev.kvmmp.aggregator.report.RunReports;
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
    return (run, snapshots, now) -> RunReports.build(run, snapshots, ReportSettings.DEFAULTS,
        now);
  }

  static Comparer comparer() {
    return new ReportComparer();
  }
}

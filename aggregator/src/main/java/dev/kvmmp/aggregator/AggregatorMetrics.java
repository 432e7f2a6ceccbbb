package dev.kvmmp.aggregator;

import dev.kvmmp.proto.v1.ExperimentComparison;
import dev.kvmmp.proto.v1.FleetComparison;
import dev.kvmmp.proto.v1.RunReport;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The latest run-report and comparison figures as gauges, so that dashboards can show them:
 * per (experiment, workload, fleet) the last run's p50 and the fleet's p50 ratio to the baseline
 * with its confidence interval.
 */
public final class AggregatorMetrics {

  private final MeterRegistry registry;
  private final Map<String, AtomicReference<Double>> values = new ConcurrentHashMap<>();

  public AggregatorMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Wraps a report builder so that each report it makes sets the gauges. */
  public ReportBuilder watching(ReportBuilder reports) {
    return (run, snapshots, now) -> {
      RunReport report = reports.build(run, snapshots, now);
      Tags tags = Tags.of("experiment", report.getExperimentId(), "workload",
          report.getWorkload(), "fleet", report.getFleet());
      if (report.hasLatency()) {
        set("kvmmp.aggregator.run.p50", tags, report.getLatency().getP50Ns() / 1e9);
        set("kvmmp.aggregator.run.p99", tags, report.getLatency().getP99Ns() / 1e9);
      }
      if (report.hasHost()) {
        set("kvmmp.aggregator.run.exits.per.transaction", tags, report.getHost().getExits());
      }
      return report;
    };
  }

  /** Wraps a comparer so that each comparison it makes sets the gauges. */
  public Comparer watching(Comparer comparer) {
    return (experiment, reports, now) -> {
      ExperimentComparison comparison = comparer.compare(experiment, reports, now);
      for (FleetComparison fleet : comparison.getComparisonsList()) {
        Tags tags = Tags.of("experiment", comparison.getExperimentId(), "workload",
            fleet.getWorkload(), "fleet", fleet.getFleet(), "baseline", fleet.getBaselineFleet());
        set("kvmmp.aggregator.comparison.p50.ratio", tags, fleet.getP50().getRatio());
        set("kvmmp.aggregator.comparison.p50.ci.low", tags, fleet.getP50().getCiLow());
        set("kvmmp.aggregator.comparison.p50.ci.high", tags, fleet.getP50().getCiHigh());
      }
      return comparison;
    };
  }

  private void set(String name, Tags tags, double value) {
    String key = name + tags;
    values.computeIfAbsent(key, k -> {
      AtomicReference<Double> holder = new AtomicReference<>(Double.NaN);
      Gauge.builder(name, holder, AtomicReference::get).tags(tags).register(registry);
      return holder;
    }).set(value);
  }
}

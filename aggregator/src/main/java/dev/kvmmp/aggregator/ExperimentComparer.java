package dev.kvmmp.aggregator;

import dev.kvmmp.proto.v1.Experiment;
import dev.kvmmp.proto.v1.ExperimentComparison;
import dev.kvmmp.proto.v1.ExperimentReports;
import dev.kvmmp.proto.v1.RunReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;

/**
 * Keeps the latest report of every run of an experiment (keyed by experiment id) and, with each
 * new one, compares the experiment's fleets again; the comparison replaces the last on
 * kvmmp.comparisons. The experiment's spec comes from a global store of kvmmp.experiments.
 */
final class ExperimentComparer implements Processor<String, RunReport, String,
    ExperimentComparison> {

  static final String REPORTS = "experiment-reports";
  static final String EXPERIMENTS = "experiments";

  private final Comparer comparer;
  private ProcessorContext<String, ExperimentComparison> context;
  private KeyValueStore<String, ExperimentReports> reports;
  private TimestampedKeyValueStore<String, Experiment> experiments;

  ExperimentComparer(Comparer comparer) {
    this.comparer = comparer;
  }

  @Override
  public void init(ProcessorContext<String, ExperimentComparison> context) {
    this.context = context;
    this.reports = context.getStateStore(REPORTS);
    this.experiments = context.getStateStore(EXPERIMENTS);
  }

  @Override
  public void process(Record<String, RunReport> record) {
    RunReport report = record.value();
    String experimentId = report.getExperimentId();
    ExperimentReports held = reports.get(experimentId);
    List<RunReport> latest = new ArrayList<>(held == null ? List.of() : held.getReportsList());
    latest.removeIf(r -> r.getRunId().equals(report.getRunId()));
    latest.add(report);
    reports.put(experimentId, ExperimentReports.newBuilder().addAllReports(latest).build());
    ValueAndTimestamp<Experiment> experiment = experiments.get(experimentId);
    if (experiment == null) {
      // Its record is on its way (written before its runs); the next report compares.
      return;
    }
    context.forward(new Record<>(experimentId,
        comparer.compare(experiment.value(), latest, Instant.now()), record.timestamp()));
  }
}

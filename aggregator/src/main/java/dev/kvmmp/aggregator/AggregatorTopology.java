package dev.kvmmp.aggregator;

import com.google.protobuf.Message;
import dev.kvmmp.proto.v1.AwaitedRun;
import dev.kvmmp.proto.v1.Experiment;
import dev.kvmmp.proto.v1.ExperimentComparison;
import dev.kvmmp.proto.v1.ExperimentReports;
import dev.kvmmp.proto.v1.HostSample;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunReport;
import dev.kvmmp.proto.v1.RunSnapshots;
import dev.kvmmp.proto.v1.SampleKind;
import dev.kvmmp.topics.KvmmpTopics;
import dev.kvmmp.topics.ProtoSerde;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The aggregator's topology, apart from its configuration so that tests drive it with
 * TopologyTestDriver: runs (keyed by run id) meet the snapshots tagged with them (re-keyed from
 * host id to run id) in {@link RunJoiner}, whose reports go to kvmmp.run-reports and, re-keyed by
 * experiment, to {@link ExperimentComparer}, whose comparisons go to kvmmp.comparisons.
 */
public final class AggregatorTopology {

  /**
   * The topology reads only the topology settings of a config, but a StreamsConfig needs
   * servers; without any config, StreamsBuilder makes a default one that warns at every start.
   */
  private static final String TOPOLOGY_ONLY_BOOTSTRAP = "unused:9092";

  private AggregatorTopology() {}

  /**
   * @param reportTimeout how long an ended run waits for its snapshots before its report goes
   *     out with what is missing named
   */
  public static Topology build(ReportBuilder reports, Comparer comparer, Duration reportTimeout) {
    StreamsBuilder builder = new StreamsBuilder(new TopologyConfig(new StreamsConfig(
        Aggregator.config(TOPOLOGY_ONLY_BOOTSTRAP, Path.of(".")))));
    builder.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(RunJoiner.AWAITED), Serdes.String(),
        ProtoSerde.of(AwaitedRun.getDefaultInstance())));
    builder.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(RunJoiner.SNAPSHOTS), Serdes.String(),
        ProtoSerde.of(RunSnapshots.getDefaultInstance())));
    builder.addStateStore(Stores.keyValueStoreBuilder(
        Stores.persistentKeyValueStore(ExperimentComparer.REPORTS), Serdes.String(),
        ProtoSerde.of(ExperimentReports.getDefaultInstance())));
    builder.addGlobalStore(Stores.timestampedKeyValueStoreBuilder(
            Stores.persistentTimestampedKeyValueStore(ExperimentComparer.EXPERIMENTS),
            Serdes.String(), ProtoSerde.of(Experiment.getDefaultInstance()))
            .withLoggingDisabled(),
        KvmmpTopics.EXPERIMENTS,
        Consumed.with(Serdes.String(), ProtoSerde.of(Experiment.getDefaultInstance())),
        GlobalExperiments::new);

    KStream<String, Message> runs = builder.stream(KvmmpTopics.RUNS,
            Consumed.with(Serdes.String(), ProtoSerde.of(Run.getDefaultInstance())))
        .mapValues(run -> (Message) run);
    KStream<String, Message> snapshots = builder.stream(KvmmpTopics.HOST_SAMPLES,
            Consumed.with(Serdes.String(), ProtoSerde.of(HostSample.getDefaultInstance())))
        .filter((host, sample) -> sample != null && !sample.getRunId().isEmpty()
            && sample.getKind() != SampleKind.SAMPLE_KIND_PERIODIC)
        .selectKey((host, sample) -> sample.getRunId())
        // Co-partitioned with kvmmp.runs, so that a run and its snapshots meet in one task.
        .repartition(Repartitioned.with(Serdes.String(),
                ProtoSerde.of(HostSample.getDefaultInstance()))
            .withName("snapshots-by-run")
            .withNumberOfPartitions(KvmmpTopics.spec(KvmmpTopics.RUNS).partitions()))
        .mapValues(sample -> (Message) sample);

    KStream<String, RunReport> reported = runs.merge(snapshots)
        .filter((runId, value) -> value != null)
        .process(() -> new RunJoiner(reports, reportTimeout), RunJoiner.AWAITED,
            RunJoiner.SNAPSHOTS);
    reported.to(KvmmpTopics.RUN_REPORTS,
        Produced.with(Serdes.String(), ProtoSerde.of(RunReport.getDefaultInstance())));
    reported
        .selectKey((runId, report) -> report.getExperimentId())
        .repartition(Repartitioned.with(Serdes.String(),
                ProtoSerde.of(RunReport.getDefaultInstance()))
            .withName("reports-by-experiment"))
        .process(() -> new ExperimentComparer(comparer), ExperimentComparer.REPORTS)
        .to(KvmmpTopics.COMPARISONS, Produced.with(Serdes.String(),
            ProtoSerde.of(ExperimentComparison.getDefaultInstance())));
    return builder.build();
  }
}

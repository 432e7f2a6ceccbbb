package dev.kvmmp.aggregator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvmmp.proto.v1.Experiment;
import dev.kvmmp.proto.v1.ExperimentComparison;
import dev.kvmmp.proto.v1.ExperimentSpec;
import dev.kvmmp.proto.v1.Fleet;
import dev.kvmmp.proto.v1.FleetComparison;
import dev.kvmmp.proto.v1.HostSample;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunReport;
import dev.kvmmp.proto.v1.RunState;
import dev.kvmmp.proto.v1.SampleKind;
import dev.kvmmp.topics.KvmmpTopics;
import dev.kvmmp.topics.ProtoSerde;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The topology's plumbing, with a report builder that says how many snapshots it got and a
 * comparer that counts reports per fleet: what joins, when a report goes out, what is ignored.
 */
class AggregatorTopologyTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @TempDir
  Path stateDir;

  private TopologyTestDriver driver;
  private TestInputTopic<String, Run> runs;
  private TestInputTopic<String, HostSample> samples;
  private TestInputTopic<String, Experiment> experiments;
  private TestOutputTopic<String, RunReport> reports;
  private TestOutputTopic<String, ExperimentComparison> comparisons;

  @BeforeEach
  void start() {
    Properties props = Aggregator.config("unused:9092", stateDir);
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "aggregator-test");
    ReportBuilder builder = (run, snapshots, now) -> RunReport.newBuilder()
        .setRunId(run.getId()).setExperimentId(run.getExperimentId()).setFleet(run.getFleet())
        .addMissing(snapshots.size() + " snapshots").build();
    Comparer comparer = (experiment, all, now) -> ExperimentComparison.newBuilder()
        .setExperimentId(experiment.getId())
        .addComparisons(FleetComparison.newBuilder()
            .setBaselineFleet(experiment.getSpec().getFleets(0).getName())
            .setRuns(all.size()))
        .build();
    driver = new TopologyTestDriver(AggregatorTopology.build(builder, comparer, TIMEOUT), props);
    runs = driver.createInputTopic(KvmmpTopics.RUNS, Serdes.String().serializer(),
        ProtoSerde.of(Run.getDefaultInstance()).serializer());
    samples = driver.createInputTopic(KvmmpTopics.HOST_SAMPLES, Serdes.String().serializer(),
        ProtoSerde.of(HostSample.getDefaultInstance()).serializer());
    experiments = driver.createInputTopic(KvmmpTopics.EXPERIMENTS, Serdes.String().serializer(),
        ProtoSerde.of(Experiment.getDefaultInstance()).serializer());
    reports = driver.createOutputTopic(KvmmpTopics.RUN_REPORTS, Serdes.String().deserializer(),
        ProtoSerde.of(RunReport.getDefaultInstance()).deserializer());
    comparisons = driver.createOutputTopic(KvmmpTopics.COMPARISONS,
        Serdes.String().deserializer(),
        ProtoSerde.of(ExperimentComparison.getDefaultInstance()).deserializer());
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  private static Run run(String id, RunState state, boolean bracketed) {
    return Run.newBuilder().setId(id).setExperimentId("e-1").setFleet("a").setState(state)
        .setHostId(bracketed ? "h1" : "").setBracketed(bracketed).setVmIdentity("vm-1").build();
  }

  private static HostSample sample(String runId, SampleKind kind, long sequence) {
    return HostSample.newBuilder().setHostId("h1").setRunId(runId).setKind(kind)
        .setSequence(sequence).build();
  }

  @Test
  void aRunNoProbeSawIsReportedWhenItEnds() {
    runs.pipeInput("e-1-r0000", run("e-1-r0000", RunState.RUN_STATE_RUNNING, false));
    assertThat(reports.isEmpty()).isTrue();

    runs.pipeInput("e-1-r0000", run("e-1-r0000", RunState.RUN_STATE_SUCCEEDED, false));

    RunReport report = reports.readValue();
    assertThat(report.getRunId()).isEqualTo("e-1-r0000");
    assertThat(report.getMissingList()).containsExactly("0 snapshots");
  }

  @Test
  void aBracketedRunWaitsForItsWindowsEndSnapshotAndGetsEveryTaggedOne() {
    samples.pipeInput("h1", sample("e-1-r0001", SampleKind.SAMPLE_KIND_IDLE_BASELINE, 1));
    samples.pipeInput("h1", sample("", SampleKind.SAMPLE_KIND_PERIODIC, 2));
    samples.pipeInput("h1", sample("e-1-r0001", SampleKind.SAMPLE_KIND_IDLE_BASELINE_END, 3));
    samples.pipeInput("h1", sample("e-1-r0001", SampleKind.SAMPLE_KIND_WINDOW_START, 4));
    runs.pipeInput("e-1-r0001", run("e-1-r0001", RunState.RUN_STATE_SUCCEEDED, true));
    assertThat(reports.isEmpty()).as("the window's end is still to come").isTrue();

    samples.pipeInput("h1", sample("e-1-r0001", SampleKind.SAMPLE_KIND_WINDOW_END, 5));

    assertThat(reports.readValue().getMissingList()).containsExactly("4 snapshots");
    assertThat(reports.isEmpty()).isTrue();
  }

  @Test
  void aRunWhoseSnapshotsNeverComeIsReportedAfterTheTimeout() {
    runs.pipeInput("e-1-r0002", run("e-1-r0002", RunState.RUN_STATE_SUCCEEDED, true));
    driver.advanceWallClockTime(TIMEOUT.minusSeconds(2));
    assertThat(reports.isEmpty()).isTrue();

    driver.advanceWallClockTime(Duration.ofSeconds(3));

    assertThat(reports.readValue().getMissingList()).containsExactly("0 snapshots");
  }

  @Test
  void eachReportUpdatesItsExperimentsComparisonOnceTheExperimentIsKnown() {
    experiments.pipeInput("e-1", Experiment.newBuilder().setId("e-1").setSpec(
        ExperimentSpec.newBuilder().addFleets(Fleet.newBuilder().setName("base"))
            .addFleets(Fleet.newBuilder().setName("a"))).build());
    runs.pipeInput("e-1-r0000", run("e-1-r0000", RunState.RUN_STATE_SUCCEEDED, false));
    runs.pipeInput("e-1-r0001", run("e-1-r0001", RunState.RUN_STATE_SUCCEEDED, false));
    runs.pipeInput("e-1-r0001", run("e-1-r0001", RunState.RUN_STATE_SUCCEEDED, false));

    assertThat(comparisons.readValuesToList()).extracting(c -> c.getComparisons(0).getRuns())
        .as("the same run reported again counts once").containsExactly(1, 2, 2);
    assertThat(comparisons.isEmpty()).isTrue();
  }
}

package dev.kvmmp.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import com.sun.security.auth.module.UnixSystem;
import dev.kvmmp.cli.local.LocalProbe;
import dev.kvmmp.kafka.EmbeddedKafka;
import dev.kvmmp.proto.v1.Experiment;
import dev.kvmmp.proto.v1.ExperimentState;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunReport;
import dev.kvmmp.proto.v1.RunState;
import dev.kvmmp.topics.KvmmpTopics;
import dev.kvmmp.topics.LatestValues;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, as a newcomer runs it (on free ports), and what it leaves. */
class LocalCommandIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  @TempDir
  Path state;

  @Test
  void runsTheQuickstartExperimentAndPrintsEveryRun() throws IOException {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int exit = run(out, err, "local", "../seeds/quickstart/tcp_rr.yaml", "--port", "0",
        "--state-dir", state.toString(), "--kafka-port", Integer.toString(freePort()));

    assertThat(exit).as("stderr: %s", err).isEqualTo(ExitCodes.OK);
    assertThat(out.toString())
        .containsPattern("kvmmp local: worker local-1 connected: \\d+ vCPUs")
        .contains("'quickstart-tcp-rr': succeeded — 3 runs: 3 succeeded")
        .containsPattern("(?m)^e-\\w+-r0002 +default +tcp_rr +unpinned +2 +succeeded ");
    assertThat(state.resolve("logs/local-1.log")).exists();
  }

  @Test
  void recordsTheExperimentAndItsRunsInABrokerWhoseDataOutlivesIt() throws IOException {
    int kafkaPort = freePort();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int exit = run(out, err, "local", "src/test/resources/local/condvar_tiny.yaml",
        "--port", "0", "--state-dir", state.toString(), "--kafka-port",
        Integer.toString(kafkaPort), "--no-probe");

    assertThat(exit).as("stdout: %s%nstderr: %s", out, err).isEqualTo(ExitCodes.OK);
    assertThat(out.toString())
        .contains("kvmmp local: Kafka broker on 127.0.0.1:" + kafkaPort + ", data in "
            + state.resolve("kafka"))
        .contains("kvmmp local: no host-probe: --no-probe")
        .contains("'local-condvar': succeeded — 2 runs: 2 succeeded")
        .contains("kvmmp local: aggregator running (Kafka Streams, state in "
            + state.resolve("aggregator") + ")")
        .contains("kvmmp local: stopped workers, aggregator, coordinator, Kafka broker");
    Matcher submitted = Pattern.compile("submitted experiment (e-\\w+)").matcher(out.toString());
    assertThat(submitted.find()).as("stdout: %s", out).isTrue();
    String experimentId = submitted.group(1);

    // The command stopped its broker; a new one on the same data and port must see it all.
    try (EmbeddedKafka kafka = new EmbeddedKafka(state.resolve("kafka"), kafkaPort)) {
      kafka.start();
      Map<String, Experiment> experiments = latest(kafka, KvmmpTopics.EXPERIMENTS,
          Experiment.parser());
      Map<String, Run> runs = latest(kafka, KvmmpTopics.RUNS, Run.parser());

      assertThat(experiments).containsOnlyKeys(experimentId);
      assertThat(experiments.get(experimentId).getSpec().getName()).isEqualTo("local-condvar");
      assertThat(experiments.get(experimentId).getState())
          .isEqualTo(ExperimentState.EXPERIMENT_STATE_SUCCEEDED);
      assertThat(runs.values()).hasSize(2).allSatisfy(r -> {
        assertThat(r.getExperimentId()).isEqualTo(experimentId);
        assertThat(r.getState()).isEqualTo(RunState.RUN_STATE_SUCCEEDED);
        assertThat(r.getWorkerId()).isEqualTo("local-1");
      });
      assertThat(runs.values()).extracting(Run::getRepetition).containsExactlyInAnyOrder(0, 1);
      assertThat(latest(kafka, KvmmpTopics.RUN_REPORTS, RunReport.parser()))
          .as("the aggregator reported every run")
          .containsOnlyKeys(runs.keySet());
    }
  }

  @Test
  void runsAHostWorkloadOnTheProbeItStartsAsRoot() throws IOException {
    Optional<String> whyNot = LocalProbe.whyNot(new UnixSystem().getUid(), Path.of("/dev/kvm"));
    assumeTrue(whyNot.isEmpty(), () -> "no probe can run here: " + whyNot.orElseThrow());
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int exit = run(out, err, "local", "src/test/resources/local/ipi_halt_tiny.yaml",
        "--port", "0", "--state-dir", state.toString(), "--kafka-port",
        Integer.toString(freePort()));

    assertThat(exit).as("stdout: %s%nstderr: %s", out, err).isEqualTo(ExitCodes.OK);
    assertThat(out.toString())
        .containsPattern("kvmmp local: host-probe of host .* connected: workloads [a-z_, ]*"
            + "ipi_halt")
        .contains("'local-ipi-halt': succeeded — 1 runs: 1 succeeded")
        .containsPattern("(?m)^e-\\w+-r0000 +poll-off +ipi_halt ")
        .contains("kvmmp local: stopped host-probe, workers, aggregator, coordinator, Kafka "
            + "broker");
  }

  private static int run(StringWriter out, StringWriter err, String... args) {
    return KvmmpCommand.commandLine()
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute(args);
  }

  /** The latest value of every key of a compacted topic, read from its start to its end. */
  private static <T extends Message> Map<String, T> latest(EmbeddedKafka kafka, String topic,
      Parser<T> parser) {
    return LatestValues.read(kafka.bootstrapServers(), topic, parser, TIMEOUT);
  }


  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}

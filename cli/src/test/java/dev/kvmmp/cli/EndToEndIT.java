package dev.kvmmp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import dev.kvmmp.cli.local.LocalWorkerProcess;
import dev.kvmmp.cli.output.LatencySummary;
import dev.kvmmp.coordinator.CoordinatorMain;
import dev.kvmmp.coordinator.CoordinatorServer;
import dev.kvmmp.proto.v1.Experiment;
import dev.kvmmp.proto.v1.GetExperimentResponse;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunState;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The walking skeleton for real: a coordinator on a real port, guest-workers as separate
 * processes measuring real loopback TCP in this VM, and the CLI's own code path submitting.
 */
class EndToEndIT {

  private static final Path SHORT_SPEC = Path.of("src/test/resources/e2e/tcp_rr_short.yaml");
  private static final Path LONG_SPEC = Path.of("src/test/resources/e2e/tcp_rr_long.yaml");

  @TempDir
  Path logs;

  private CoordinatorServer coordinator;
  private String address;
  private ManagedChannel channel;
  private CoordinatorClient client;

  @BeforeEach
  void startCoordinator() throws Exception {
    coordinator = CoordinatorMain.start("127.0.0.1", 0, Duration.ofMillis(500));
    address = "127.0.0.1:" + coordinator.port();
    CoordinatorOptions options = new CoordinatorOptions();
    options.address = address;
    channel = options.open();
    client = new CoordinatorClient(channel);
  }

  @AfterEach
  void stopCoordinator() throws Exception {
    channel.shutdownNow();
    coordinator.close();
  }

  @Test
  void submitWaitPrintsEveryRunAndTheResultsHoldTogether() throws Exception {
    try (LocalWorkerProcess worker = startWorker("it-1")) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();

      int exit = KvmmpCommand.commandLine()
          .setOut(new PrintWriter(out, true))
          .setErr(new PrintWriter(err, true))
          .execute("submit", SHORT_SPEC.toString(), "--wait", "--coordinator", address);

      assertThat(exit).as("exit code; stderr: %s", err).isEqualTo(ExitCodes.OK);
      assertThat(out.toString())
          .contains("submitted experiment e-")
          .contains("'e2e-tcp-rr': succeeded — 2 runs: 2 succeeded")
          .containsPattern("(?m)^e-\\w+-r0000 +default +tcp_rr +unpinned +0 +succeeded +[\\d,]+ ")
          .containsPattern("(?m)^e-\\w+-r0001 +default +tcp_rr +unpinned +1 +succeeded +[\\d,]+ ");

      Experiment experiment = client.list(1).get(0);
      for (Run run : client.get(experiment.getId()).getRunsList()) {
        assertThat(run.getState()).isEqualTo(RunState.RUN_STATE_SUCCEEDED);
        assertThat(run.getWorkerId()).isEqualTo("it-1");
        Histogram histogram = LatencySummary.decode(run.getResult());
        assertThat(histogram.getTotalCount()).isEqualTo(run.getResult().getTransactions());
        assertThat(histogram.getValueAtPercentile(50)).isBetween(1_000L, 10_000_000L);
        double seconds = run.getResult().getWindowNs() / 1e9;
        double perSecond = run.getResult().getTransactions() / seconds;
        double meanSeconds = histogram.getMean() / 1e9;
        assertThat(perSecond * meanSeconds).as("tx/s x mean latency").isBetween(0.98, 1.02);
        assertThat(seconds).isBetween(0.3, 0.5);
        assertThat(run.getResult().getGuestFacts().getVcpus()).isPositive();
        assertThat(Timestamps.between(run.getResult().getWindowStart(),
            run.getResult().getWindowEnd())).isEqualTo(Durations.fromNanos(
            run.getResult().getWindowNs()));
      }
    }
  }

  @Test
  void workerThatDiesMidRunHasItsRunRequeuedAndTheCoordinatorKeepsServing() throws Exception {
    Experiment long1;
    try (LocalWorkerProcess doomed = startWorker("it-doomed")) {
      long1 = submitQuietly(LONG_SPEC);
      awaitRunState(long1.getId(), RunState.RUN_STATE_RUNNING);
      doomed.kill();
      Run requeued = awaitRunState(long1.getId(), RunState.RUN_STATE_PENDING);
      assertThat(requeued.getEarlierAttemptsList()).singleElement().asString()
          .startsWith("attempt 1: worker 'it-doomed' disconnected mid-run");
      client.cancel(long1.getId(), "the test is done with it");
    }

    try (LocalWorkerProcess survivor = startWorker("it-survivor")) {
      Experiment next = submitQuietly(SHORT_SPEC);
      GetExperimentResponse done = new ExperimentFollower(client, System.err, false)
          .follow(next.getId());
      assertThat(done.getRunsList()).extracting(Run::getState)
          .containsOnly(RunState.RUN_STATE_SUCCEEDED);
    }
  }

  private Experiment submitQuietly(Path spec) throws Exception {
    return client.submit(new dev.kvmmp.cli.spec.SpecFileReader().read(spec));
  }

  private Run awaitRunState(String experimentId, RunState state) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      List<Run> runs = client.get(experimentId).getRunsList();
      if (runs.get(0).getState() == state) {
        return runs.get(0);
      }
      Thread.sleep(50);
    }
    throw new AssertionError("run 0 of " + experimentId + " never reached " + state + ": "
        + client.get(experimentId).getRuns(0));
  }

  private LocalWorkerProcess startWorker(String id) throws Exception {
    LocalWorkerProcess worker = LocalWorkerProcess.start(id, address, logs,
        logs.resolve("state-" + id));
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (client.workers().stream().noneMatch(w -> w.getWorkerId().equals(id))) {
      if (!worker.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("worker " + id + " did not connect:\n" + worker.logTail(30));
      }
      Thread.sleep(50);
    }
    return worker;
  }
}

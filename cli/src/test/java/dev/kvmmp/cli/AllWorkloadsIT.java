package dev.kvmmp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvmmp.cli.local.LocalWorkerProcess;
import dev.kvmmp.cli.output.LatencySummary;
import dev.kvmmp.cli.spec.SpecFileReader;
import dev.kvmmp.coordinator.CoordinatorMain;
import dev.kvmmp.coordinator.CoordinatorServer;
import dev.kvmmp.proto.v1.Experiment;
import dev.kvmmp.proto.v1.GetExperimentResponse;
import dev.kvmmp.proto.v1.Placement;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunResult;
import dev.kvmmp.proto.v1.RunState;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every workload, in both placements, from a spec through a real coordinator to a real worker
 * process (with a real memcached): each result holds a histogram, facts, deltas and a verified
 * placement, and no memcached outlives its run.
 */
class AllWorkloadsIT {

  @TempDir
  Path logs;

  @Test
  void everyWorkloadRunsInBothPlacementsAndExplainsItself() throws Exception {
    Instant testStart = Instant.now();
    try (CoordinatorServer coordinator = CoordinatorMain.start("127.0.0.1", 0,
        Duration.ofMillis(500))) {
      String address = "127.0.0.1:" + coordinator.port();
      CoordinatorOptions options = new CoordinatorOptions();
      options.address = address;
      ManagedChannel channel = options.open();
      try (LocalWorkerProcess worker = LocalWorkerProcess.start("it-all", address, logs,
          logs.resolve("state"))) {
        CoordinatorClient client = new CoordinatorClient(channel);
        awaitWorker(client, worker);
        Experiment experiment = client.submit(new SpecFileReader()
            .read(Path.of("src/test/resources/e2e/all_workloads.yaml")));

        GetExperimentResponse done = new ExperimentFollower(client, System.err, false)
            .follow(experiment.getId());

        for (Run run : done.getRunsList()) {
          String name = run.getWorkload().getName();
          assertThat(run.getState()).as("%s: %s", name, run.getReason())
              .isEqualTo(RunState.RUN_STATE_SUCCEEDED);
          RunResult result = run.getResult();
          Histogram histogram = LatencySummary.decode(result);
          assertThat(histogram.getTotalCount()).as(name).isEqualTo(result.getTransactions())
              .isPositive();
          assertThat(result.getPlacement().getVerified()).as("%s: %s", name,
              result.getPlacement().getDetail()).isTrue();
          assertThat(result.getPlacement().getPlacement()).isEqualTo(
              run.getWorkload().getPlacement());
          int vcpus = run.getWorkload().getPlacement() == Placement.PLACEMENT_CROSS_CPU ? 2 : 1;
          assertThat(result.getGuestDeltas().getPerCpuCount()).as(name).isEqualTo(vcpus);
          assertThat(result.getGuestDeltas().getContextSwitches()).as(name).isPositive();
          assertThat(result.getGuestFacts().getVcpus()).isGreaterThanOrEqualTo(2);
        }
        // Only ours: a memcached service of the machine's own started before this test.
        assertThat(ProcessHandle.allProcesses()
            .filter(p -> p.info().command().orElse("").endsWith("memcached"))
            .filter(p -> p.info().startInstant().map(testStart::isBefore).orElse(false)))
            .as("memcached left running").isEmpty();
      } finally {
        channel.shutdownNow();
      }
    }
  }

  private static void awaitWorker(CoordinatorClient client, LocalWorkerProcess worker)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (client.workers().isEmpty()) {
      if (!worker.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("worker did not connect:\n" + worker.logTail(30));
      }
      Thread.sleep(50);
    }
  }
}

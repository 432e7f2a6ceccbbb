package dev.kvmmp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvmmp.cli.local.LocalWorkerProcess;
import dev.kvmmp.cli.output.LatencySummary;
import dev.kvmmp.cli.spec.SpecFileReader;
import dev.kvmmp.coordinator.CoordinatorMain;
import dev.kvmmp.coordinator.CoordinatorServer;
import dev.kvmmp.proto.v1.Experiment;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunState;
import io.grpc.ManagedChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guest knobs as experimental factors, for real on this KVM guest: halt polling cuts the
 * cross-vCPU round trip and its halts; disabling the HLT state acts under the menu governor and
 * not under haltpoll, and the run says so; every knob is back afterwards, also after the worker
 * is killed with SIGKILL mid-run and started again.
 */
class GuestKnobsEndToEndIT {

  private static final Path HALT_POLL_NS =
      Path.of("/sys/module/haltpoll/parameters/guest_halt_poll_ns");

  @TempDir
  Path dir;

  private Map<Path, String> originals;
  private CoordinatorServer coordinator;
  private ManagedChannel channel;
  private CoordinatorClient client;
  private String address;

  @BeforeEach
  void start() throws Exception {
    Assumptions.assumeTrue(Files.isWritable(HALT_POLL_NS),
        "needs the haltpoll cpuidle driver and root");
    originals = knobFiles();
    coordinator = CoordinatorMain.start("127.0.0.1", 0, Duration.ofMillis(500));
    address = "127.0.0.1:" + coordinator.port();
    CoordinatorOptions options = new CoordinatorOptions();
    options.address = address;
    channel = options.open();
    client = new CoordinatorClient(channel);
  }

  @AfterEach
  void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow();
      coordinator.close();
    }
  }

  @Test
  void haltPollingActsAndDisablingHltActsOnlyUnderMenuAndEveryKnobIsBackAfterwards()
      throws Exception {
    try (LocalWorkerProcess worker = startWorker()) {
      Experiment experiment = client.submit(new SpecFileReader()
          .read(Path.of("src/test/resources/e2e/guest_knobs.yaml")));
      List<Run> runs = new ExperimentFollower(client, System.err, false)
          .follow(experiment.getId()).getRunsList();

      assertThat(runs).allSatisfy(run -> assertThat(run.getState())
          .as("%s: %s", run.getFleet(), run.getReason()).isEqualTo(RunState.RUN_STATE_SUCCEEDED));
      assertThat(median(runs, "poll-on", this::p50)).as("p50 with polling, us")
          .isLessThan(median(runs, "poll-off", this::p50));
      assertThat(median(runs, "poll-on", this::haltsPerTransaction))
          .isLessThan(median(runs, "poll-off", this::haltsPerTransaction) / 2);
      assertThat(verdicts(runs, "poll-on")).anyMatch(v -> v.contains("(acted"));
      assertThat(verdicts(runs, "menu-no-hlt"))
          .anyMatch(v -> v.startsWith("'haltpoll idle' state disabled: ") && v.endsWith("(acted)"));
      assertThat(verdicts(runs, "haltpoll-no-hlt"))
          .anyMatch(v -> v.contains("the haltpoll governor ignores it"));
      assertThat(runs.stream().filter(r -> r.getFleet().equals("poll-on")).findFirst()
          .orElseThrow().getResult().getKnobs().getValuesList())
          .anySatisfy(v -> assertThat(v.getValue()).isEqualTo("200000"));
    }
    assertThat(knobFiles()).as("every knob back").isEqualTo(originals);
  }

  @Test
  void aWorkerKilledMidRunRestoresTheKnobsWhenItStartsAgain() throws Exception {
    try (LocalWorkerProcess worker = startWorker()) {
      Experiment experiment = client.submit(new SpecFileReader()
          .read(Path.of("src/test/resources/e2e/guest_knobs_long.yaml")));
      awaitValue(HALT_POLL_NS, "200000");
      worker.kill();
      awaitRunRequeued(experiment.getId());
      assertThat(Files.readString(HALT_POLL_NS).trim()).as("a killed worker restores nothing")
          .isEqualTo("200000");
      // Otherwise the worker started again takes the re-queued run and sets the knob anew.
      client.cancel(experiment.getId(), "the test is done with it");
    }
    try (LocalWorkerProcess restarted = startWorker()) {
      assertThat(knobFiles()).as("restored at start, from the journal").isEqualTo(originals);
    }
  }

  private LocalWorkerProcess startWorker() throws Exception {
    LocalWorkerProcess worker = LocalWorkerProcess.start("it-knobs", address, dir,
        dir.resolve("state"));
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (client.workers().isEmpty()) {
      if (!worker.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("worker did not connect:\n" + worker.logTail(30));
      }
      Thread.sleep(50);
    }
    return worker;
  }

  private void awaitRunRequeued(String experimentId) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (client.get(experimentId).getRuns(0).getEarlierAttemptsCount() == 0) {
      assertThat(System.nanoTime()).as("run re-queued in time").isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static void awaitValue(Path file, String value) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!Files.readString(file).trim().equals(value)) {
      assertThat(System.nanoTime()).as(file + " reached " + value).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private double p50(Run run) {
    return LatencySummary.of(run.getResult()).p50Us();
  }

  private double haltsPerTransaction(Run run) {
    return run.getResult().getGuestDeltas().getEventsOrDefault("power:cpu_idle/haltpoll idle", 0)
        / (double) run.getResult().getTransactions();
  }

  private static double median(List<Run> runs, String fleet,
      java.util.function.ToDoubleFunction<Run> value) {
    double[] values = runs.stream().filter(r -> r.getFleet().equals(fleet))
        .mapToDouble(value).sorted().toArray();
    return values[values.length / 2];
  }

  private static List<String> verdicts(List<Run> runs, String fleet) {
    return runs.stream().filter(r -> r.getFleet().equals(fleet))
        .flatMap(r -> r.getResult().getKnobs().getVerdictsList().stream()).toList();
  }

  /** Every guest knob file of this machine and its content. */
  private static Map<Path, String> knobFiles() throws Exception {
    Map<Path, String> files = new TreeMap<>();
    try (Stream<Path> params = Files.list(Path.of("/sys/module/haltpoll/parameters"))) {
      for (Path p : params.toList()) {
        files.put(p, Files.readString(p).trim());
      }
    }
    Path governor = Path.of("/sys/devices/system/cpu/cpuidle/current_governor");
    files.put(governor, Files.readString(governor).trim());
    try (Stream<Path> all = Files.walk(Path.of("/sys/devices/system/cpu"), 4)) {
      for (Path p : all.filter(f -> f.getFileName().toString().equals("disable")
          && f.getParent().getParent().getFileName().toString().equals("cpuidle")).toList()) {
        files.put(p, Files.readString(p).trim());
      }
    }
    return files;
  }
}

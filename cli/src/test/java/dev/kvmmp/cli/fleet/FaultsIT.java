package dev.kvmmp.cli.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Durations;
import dev.kvmmp.cli.CoordinatorClient;
import dev.kvmmp.cli.local.LocalWorkerProcess;
import dev.kvmmp.kafka.EmbeddedKafka;
import dev.kvmmp.proto.v1.Condvar;
import dev.kvmmp.proto.v1.ExperimentSpec;
import dev.kvmmp.proto.v1.ExperimentState;
import dev.kvmmp.proto.v1.Fleet;
import dev.kvmmp.proto.v1.GetExperimentResponse;
import dev.kvmmp.proto.v1.GuestProfile;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunState;
import dev.kvmmp.proto.v1.Workload;
import dev.kvmmp.topics.KvmmpTopics;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The faults of issue 7 with real processes: a real Kafka broker, a coordinator in its own JVM
 * that is killed with SIGKILL and started again, guest-workers as child processes that are
 * killed, stopped and resumed. Whatever happens, every run ends counted once and knobs are back.
 */
class FaultsIT {

  private static final Path HALT_POLL_NS =
      Path.of("/sys/module/haltpoll/parameters/guest_halt_poll_ns");
  private static final Duration EXPERIMENT_TIMEOUT = Duration.ofSeconds(120);

  @TempDir
  Path dir;

  private EmbeddedKafka kafka;
  private CoordinatorProcess coordinator;
  private final List<LocalWorkerProcess> workers = new ArrayList<>();
  private ManagedChannel channel;
  private CoordinatorClient client;

  @BeforeEach
  void start() throws Exception {
    kafka = new EmbeddedKafka(dir.resolve("kafka"), freePort());
    kafka.start();
    coordinator = new CoordinatorProcess(freePort(), kafka.bootstrapServers(),
        dir.resolve("coordinator.log"));
    coordinator.start();
    channel = Grpc.newChannelBuilder(coordinator.address(), InsecureChannelCredentials.create())
        .build();
    client = new CoordinatorClient(channel);
  }

  @AfterEach
  void stop() throws Exception {
    if (channel != null) {
      channel.shutdownNow();
    }
    for (LocalWorkerProcess worker : workers) {
      worker.close();
    }
    coordinator.close();
    kafka.close();
  }

  @Test
  void aCoordinatorKilledMidExperimentIsRestartedAndEveryRunSucceedsOnce() throws Exception {
    startWorkers(2);
    String id = client.submit(condvar(4, Duration.ofSeconds(1))).getId();
    await("a run succeeded and another runs", () -> {
      GetExperimentResponse now = client.get(id);
      return count(now, RunState.RUN_STATE_SUCCEEDED) >= 1
          && count(now, RunState.RUN_STATE_RUNNING) == 1;
    });

    coordinator.kill();
    Thread.sleep(1_000);
    coordinator.start();

    GetExperimentResponse done = awaitFinished(id);
    assertThat(done.getExperiment().getState())
        .isEqualTo(ExperimentState.EXPERIMENT_STATE_SUCCEEDED);
    assertThat(done.getRunsList()).extracting(Run::getState)
        .containsOnly(RunState.RUN_STATE_SUCCEEDED);
    assertSucceededOnceEach(done);
  }

  @Test
  void aWorkerKilledMidRunHasItsRunRequeuedCountedOnceAndItsKnobsRestoredByItsJournal()
      throws Exception {
    Assumptions.assumeTrue(Files.isWritable(HALT_POLL_NS), "needs haltpoll and root");
    String original = Files.readString(HALT_POLL_NS).trim();
    // One worker: a second one in this same guest could take the re-queued run before the
    // restarted victim's journal put the knob back, and journal 200000 as the original.
    startWorkers(1);
    String id = client.submit(polled(condvar(2, Duration.ofSeconds(3)))).getId();
    Run running = awaitRunning(id);
    await("the run's knob set", () -> read(HALT_POLL_NS).equals("200000"));

    LocalWorkerProcess victim = worker(running.getWorkerId());
    victim.kill();
    assertThat(read(HALT_POLL_NS)).as("left changed by the dead worker").isEqualTo("200000");
    workers.set(workers.indexOf(victim), LocalWorkerProcess.start(victim.workerId(),
        coordinator.address(), dir.resolve("logs"), dir.resolve("state").resolve(
            victim.workerId())));
    await("the restarted worker's journal restores the knob",
        () -> read(HALT_POLL_NS).equals(original));

    GetExperimentResponse done = awaitFinished(id);
    Run retried = done.getRunsList().stream().filter(r -> r.getId().equals(running.getId()))
        .findFirst().orElseThrow();
    assertThat(retried.getState()).isEqualTo(RunState.RUN_STATE_SUCCEEDED);
    assertThat(retried.getAttempt()).isEqualTo(2);
    assertThat(retried.getEarlierAttemptsList()).singleElement().asString()
        .contains("attempt 1: worker '" + running.getWorkerId() + "'");
    assertSucceededOnceEach(done);
    assertThat(read(HALT_POLL_NS)).isEqualTo(original);
  }

  @Test
  void aStoppedWorkersLateResultIsDiscardedAndTheRunCountedOnce() throws Exception {
    startWorkers(2);
    String id = client.submit(condvar(1, Duration.ofSeconds(2))).getId();
    Run running = awaitRunning(id);
    LocalWorkerProcess stopped = worker(running.getWorkerId());

    signal("STOP", stopped);
    await("the run re-queued and done elsewhere", () -> client.get(id).getRuns(0).getState()
        == RunState.RUN_STATE_SUCCEEDED);
    signal("CONT", stopped);
    await("the stopped worker hears its attempt was given up", () ->
        stopped.logTail(200).contains("discarded by the coordinator")
            || stopped.logTail(200).contains("no longer this worker's run"));

    Run done = client.get(id).getRuns(0);
    assertThat(done.getAttempt()).isEqualTo(2);
    assertThat(done.getWorkerId()).isNotEqualTo(stopped.workerId());
    assertSucceededOnceEach(client.get(id));
  }

  @Test
  void cancelStopsTheRunningRunAtOnceAndTheKnobsAreBack() throws Exception {
    Assumptions.assumeTrue(Files.isWritable(HALT_POLL_NS), "needs haltpoll and root");
    String original = Files.readString(HALT_POLL_NS).trim();
    startWorkers(1);
    String id = client.submit(polled(condvar(3, Duration.ofSeconds(30)))).getId();
    awaitRunning(id);
    await("the run's knob set", () -> read(HALT_POLL_NS).equals("200000"));

    long cancelledAt = System.nanoTime();
    client.cancel(id, "test");
    await("the worker is idle again", () -> client.workers().get(0).getCurrentRunId().isEmpty()
        && read(HALT_POLL_NS).equals(original));

    assertThat(Duration.ofNanos(System.nanoTime() - cancelledAt)).isLessThan(
        Duration.ofSeconds(10));
    GetExperimentResponse cancelled = client.get(id);
    assertThat(cancelled.getExperiment().getState())
        .isEqualTo(ExperimentState.EXPERIMENT_STATE_CANCELLED);
    assertThat(cancelled.getRunsList()).extracting(Run::getState)
        .containsOnly(RunState.RUN_STATE_CANCELLED);
  }

  @Test
  void aBrokerRestartMidExperimentLosesNoRecord() throws Exception {
    startWorkers(1);
    String id = client.submit(condvar(3, Duration.ofSeconds(1))).getId();
    awaitRunning(id);

    kafka.stop();
    Thread.sleep(2_000);
    kafka.start();

    GetExperimentResponse done = awaitFinished(id);
    assertThat(done.getExperiment().getState())
        .isEqualTo(ExperimentState.EXPERIMENT_STATE_SUCCEEDED);
    assertSucceededOnceEach(done);
  }

  @Test
  void twoFleetsOnTwoWorkersRunInInterleavedBlocksOneAtATime() throws Exception {
    startWorkers(2);
    ExperimentSpec spec = condvar(4, Duration.ofMillis(300)).toBuilder()
        .addFleets(Fleet.newBuilder().setName("one").putSelector("worker", "fault-1"))
        .addFleets(Fleet.newBuilder().setName("two").putSelector("worker", "fault-2"))
        .build();
    String id = client.submit(spec).getId();
    GetExperimentResponse done = awaitFinished(id);

    List<Run> starts = runLog().stream()
        .filter(r -> r.getExperimentId().equals(id) && r.getState() == RunState.RUN_STATE_RUNNING)
        .sorted(java.util.Comparator.comparing(r -> com.google.protobuf.util.Timestamps.toNanos(
            r.getStartedAt())))
        .toList();
    List<String> fleets = starts.stream().map(Run::getFleet).toList();
    System.out.println("run log (start order): " + starts.stream()
        .map(r -> r.getId() + " " + r.getFleet() + " on " + r.getWorkerId()).toList());
    assertThat(fleets).hasSize(8);
    for (int block = 0; block < 4; block++) {
      assertThat(fleets.subList(2 * block, 2 * block + 2)).as("block %d", block)
          .containsExactlyInAnyOrder("one", "two");
    }
    List<Run> runs = done.getRunsList().stream()
        .sorted(java.util.Comparator.comparing(r -> com.google.protobuf.util.Timestamps.toNanos(
            r.getStartedAt())))
        .toList();
    for (int i = 1; i < runs.size(); i++) {
      assertThat(com.google.protobuf.util.Timestamps.compare(runs.get(i).getStartedAt(),
          runs.get(i - 1).getFinishedAt())).as("one run at a time in this VM").isGreaterThanOrEqualTo(0);
    }
  }

  private static ExperimentSpec condvar(int repetitions, Duration duration) {
    return ExperimentSpec.newBuilder()
        .setName("faults")
        .addWorkloads(Workload.newBuilder().setCondvar(Condvar.getDefaultInstance()))
        .setRepetitions(repetitions)
        .setDuration(Durations.fromMillis(duration.toMillis()))
        .setWarmup(Durations.fromMillis(200))
        .build();
  }

  private static ExperimentSpec polled(ExperimentSpec spec) {
    return spec.toBuilder().addFleets(Fleet.newBuilder().setName("polled")
        .setGuestProfile(GuestProfile.newBuilder().setGuestHaltPollNs(200_000))).build();
  }

  /**
   * Each run's SUCCEEDED record appears in the run log exactly once, with its final attempt.
   * The coordinator answers from its own state before its producer has delivered (after a
   * broker restart, records wait in the producer for the reconnect), so the log is read until
   * every success is there, or 30 s.
   */
  private void assertSucceededOnceEach(GetExperimentResponse experiment) throws Exception {
    Map<String, Long> expected = experiment.getRunsList().stream()
        .filter(r -> r.getState() == RunState.RUN_STATE_SUCCEEDED)
        .collect(Collectors.toMap(Run::getId, r -> 1L));
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    Map<String, Long> successes = successesInRunLog(experiment);
    while (!successes.keySet().containsAll(expected.keySet()) && System.nanoTime() < deadline) {
      Thread.sleep(200);
      successes = successesInRunLog(experiment);
    }
    assertThat(successes).isEqualTo(expected);
  }

  private Map<String, Long> successesInRunLog(GetExperimentResponse experiment)
      throws Exception {
    return runLog().stream()
        .filter(r -> r.getExperimentId().equals(experiment.getExperiment().getId()))
        .filter(r -> r.getState() == RunState.RUN_STATE_SUCCEEDED)
        .collect(Collectors.groupingBy(Run::getId, Collectors.counting()));
  }

  /** Every change of every run, as recorded on kvmmp.runs. */
  private List<Run> runLog() throws Exception {
    return TopicRecords.readAll(kafka.bootstrapServers(), KvmmpTopics.RUNS, Run.parser());
  }

  private void startWorkers(int n) throws Exception {
    for (int i = 1; i <= n; i++) {
      String workerId = "fault-" + i;
      workers.add(LocalWorkerProcess.start(workerId, coordinator.address(),
          dir.resolve("logs"), dir.resolve("state").resolve(workerId)));
    }
    await(n + " workers registered", () -> client.workers().size() == n);
  }

  private LocalWorkerProcess worker(String id) {
    return workers.stream().filter(w -> w.workerId().equals(id)).findFirst().orElseThrow();
  }

  private Run awaitRunning(String id) throws Exception {
    List<Run> found = new ArrayList<>();
    await("a run running", () -> {
      Optional<Run> running = client.get(id).getRunsList().stream()
          .filter(r -> r.getState() == RunState.RUN_STATE_RUNNING).findFirst();
      running.ifPresent(found::add);
      return running.isPresent();
    });
    return found.get(found.size() - 1);
  }

  private GetExperimentResponse awaitFinished(String id) throws Exception {
    List<GetExperimentResponse> last = new ArrayList<>();
    await("experiment " + id + " finished", () -> {
      GetExperimentResponse now = client.get(id);
      last.add(now);
      ExperimentState state = now.getExperiment().getState();
      return state != ExperimentState.EXPERIMENT_STATE_PENDING
          && state != ExperimentState.EXPERIMENT_STATE_RUNNING;
    });
    return last.get(last.size() - 1);
  }

  private static long count(GetExperimentResponse experiment, RunState state) {
    return experiment.getRunsList().stream().filter(r -> r.getState() == state).count();
  }

  private interface Check {
    boolean holds() throws Exception;
  }

  /** Polls until the check holds; a coordinator being restarted answers UNAVAILABLE meanwhile. */
  private void await(String what, Check check) throws Exception {
    long deadline = System.nanoTime() + EXPERIMENT_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (check.holds()) {
          return;
        }
      } catch (StatusRuntimeException e) {
        // The coordinator is restarting.
      }
      Thread.sleep(100);
    }
    throw new AssertionError("timed out waiting for: " + what + "; coordinator log:\n"
        + tail(dir.resolve("coordinator.log"), 40));
  }

  private static String tail(Path file, int lines) throws IOException {
    if (!Files.exists(file)) {
      return "(none)";
    }
    List<String> all = Files.readAllLines(file);
    return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
  }

  private static String read(Path file) throws IOException {
    return Files.readString(file).trim();
  }

  private static void signal(String signal, LocalWorkerProcess worker) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(worker.pid()))
        .inheritIO().start();
    assertThat(kill.waitFor()).isZero();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}

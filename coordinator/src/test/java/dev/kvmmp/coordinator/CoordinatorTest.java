package dev.kvmmp.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.Timestamps;
import dev.kvmmp.coordinator.workers.ConnectedWorker;
import dev.kvmmp.proto.v1.CoordinatorToWorker;
import dev.kvmmp.proto.v1.Experiment;
import dev.kvmmp.proto.v1.ExperimentState;
import dev.kvmmp.proto.v1.Fleet;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunCompleted;
import dev.kvmmp.proto.v1.RunFailed;
import dev.kvmmp.proto.v1.RunResult;
import dev.kvmmp.proto.v1.RunState;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class CoordinatorTest {

  private final TestClock clock = new TestClock();
  private final AtomicInteger ids = new AtomicInteger();
  private final Coordinator coordinator = new Coordinator(clock, Duration.ofSeconds(1),
      () -> "e-" + ids.incrementAndGet());

  @Test
  void refusesAnInvalidSpecWithEveryViolationNamed() {
    var spec = Specs.tcpRr(1).toBuilder().clearName().setRepetitions(10_001).build();

    assertThatThrownBy(() -> coordinator.submit(spec))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription())
              .contains("name: missing (required)")
              .contains("repetitions: 10001 is above the maximum 10000");
        });
  }

  @Test
  void refusesAFleetThatNoConnectedWorkerMatches() {
    connect("w1", 1);
    var spec = Specs.tcpRr(1).toBuilder()
        .addFleets(Fleet.newBuilder().setName("two-vcpus").putSelector("vcpus", "2"))
        .build();

    assertThatThrownBy(() -> coordinator.submit(spec))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
          assertThat(e.getStatus().getDescription()).isEqualTo(
              "experiment 'test': fleet 'two-vcpus': no connected worker can run workloads[0] "
                  + "(tcp_rr): 1 worker(s) online, 0 matching the selector vcpus=2, none of those "
                  + "running tcp_rr");
        });
  }

  @Test
  void runsEveryRunOnAnIdleWorkerOneAtATimeUntilTheExperimentSucceeds() {
    RecordingStream<CoordinatorToWorker> stream = new RecordingStream<>();
    ConnectedWorker worker = coordinator.register(Specs.register("w1", 2), stream);

    Experiment submitted = coordinator.submit(Specs.tcpRr(2));

    assertThat(submitted.getRunCounts().getTotal()).isEqualTo(2);
    assertThat(assignedRuns(stream)).hasSize(1);
    coordinator.completed(worker, completion(assignedRuns(stream).get(0), 1000));
    assertThat(assignedRuns(stream)).hasSize(2);
    coordinator.completed(worker, completion(assignedRuns(stream).get(1), 1000));

    var done = coordinator.get(submitted.getId());
    assertThat(done.getExperiment().getState())
        .isEqualTo(ExperimentState.EXPERIMENT_STATE_SUCCEEDED);
    assertThat(done.getRunsList()).extracting(Run::getState)
        .containsOnly(RunState.RUN_STATE_SUCCEEDED);
    assertThat(done.getRuns(0).getResult().getTransactions()).isEqualTo(1000);
  }

  @Test
  void requeuesTheRunOfAWorkerThatDoesNotComeBackAndCountsItsResultOnce() {
    RecordingStream<CoordinatorToWorker> first = new RecordingStream<>();
    ConnectedWorker dying = coordinator.register(Specs.register("w1", 2), first);
    Experiment experiment = coordinator.submit(Specs.tcpRr(1).toBuilder()
        .setExclusivity(dev.kvmmp.proto.v1.Exclusivity.EXCLUSIVITY_WORKER).build());
    Run lost = assignedRuns(first).get(0);

    coordinator.disconnected(dying, "stream broke (UNAVAILABLE)");
    RecordingStream<CoordinatorToWorker> second = new RecordingStream<>();
    ConnectedWorker healthy = coordinator.register(Specs.register("w2", 2), second);
    assertThat(assignedRuns(second)).as("the run waits for its worker a heartbeat timeout")
        .isEmpty();
    clock.advance(Duration.ofMillis(3_100));
    coordinator.heartbeat(healthy);
    coordinator.expireSilentWorkers();

    Run retried = assignedRuns(second).get(0);
    assertThat(retried.getId()).isEqualTo(lost.getId());
    assertThat(retried.getAttempt()).isEqualTo(2);
    assertThat(retried.getEarlierAttemptsList()).containsExactly("attempt 1: worker 'w1' "
        + "disconnected mid-run (stream broke (UNAVAILABLE)) and did not come back within 3 s");
    coordinator.completed(dying, completion(lost, 10));
    coordinator.completed(healthy, completion(retried, 10));
    var done = coordinator.get(experiment.getId());
    assertThat(done.getExperiment().getState())
        .isEqualTo(ExperimentState.EXPERIMENT_STATE_SUCCEEDED);
    assertThat(done.getExperiment().getRunCounts().getSucceeded()).isEqualTo(1);
    assertThat(second.messages).filteredOn(CoordinatorToWorker::hasResultAccepted)
        .singleElement().extracting(m -> m.getResultAccepted().getDiscarded()).isEqualTo("");
  }

  @Test
  void discardsALateResultOfAnAttemptThatWasGivenUp() {
    RecordingStream<CoordinatorToWorker> stream = new RecordingStream<>();
    ConnectedWorker worker = coordinator.register(Specs.register("w1", 2), stream);
    Experiment experiment = coordinator.submit(Specs.tcpRr(1));
    Run first = assignedRuns(stream).get(0);
    clock.advance(Duration.ofMillis(3_100));
    coordinator.expireSilentWorkers();
    clock.advance(Duration.ofMillis(3_100));
    coordinator.expireSilentWorkers();
    RecordingStream<CoordinatorToWorker> again = new RecordingStream<>();
    ConnectedWorker back = coordinator.register(Specs.register("w1", 2), again);
    Run second = assignedRuns(again).get(0);

    coordinator.completed(back, completion(first, 10).toBuilder().setAttempt(1).build());

    assertThat(again.messages).filteredOn(CoordinatorToWorker::hasResultAccepted)
        .singleElement().extracting(m -> m.getResultAccepted().getDiscarded())
        .isEqualTo("attempt 1 was given up; the run is at attempt 2");
    assertThat(coordinator.get(experiment.getId()).getRuns(0).getState())
        .isEqualTo(RunState.RUN_STATE_RUNNING);
    coordinator.completed(back, completion(second, 10).toBuilder().setAttempt(2).build());
    assertThat(coordinator.get(experiment.getId()).getRuns(0).getState())
        .isEqualTo(RunState.RUN_STATE_SUCCEEDED);
  }

  @Test
  void aReconnectingWorkerKeepsItsRunAndAStrangerIsToldToDropIt() {
    RecordingStream<CoordinatorToWorker> stream = new RecordingStream<>();
    ConnectedWorker worker = coordinator.register(Specs.register("w1", 2), stream);
    Experiment experiment = coordinator.submit(Specs.tcpRr(1));
    Run run = assignedRuns(stream).get(0);
    coordinator.disconnected(worker, "stream broke");

    RecordingStream<CoordinatorToWorker> stranger = new RecordingStream<>();
    coordinator.register(Specs.register("w2", 2).toBuilder().setCurrentRunId(run.getId())
        .setCurrentRunAttempt(1).build(), stranger);
    RecordingStream<CoordinatorToWorker> back = new RecordingStream<>();
    ConnectedWorker returned = coordinator.register(Specs.register("w1", 2).toBuilder()
        .setCurrentRunId(run.getId()).setCurrentRunAttempt(1).build(), back);
    clock.advance(Duration.ofMillis(3_100));
    coordinator.heartbeat(returned);
    coordinator.expireSilentWorkers();

    assertThat(stranger.messages).filteredOn(CoordinatorToWorker::hasCancel).singleElement()
        .extracting(m -> m.getCancel().getRunId()).isEqualTo(run.getId());
    assertThat(back.messages).noneMatch(CoordinatorToWorker::hasCancel);
    coordinator.completed(returned, completion(run, 10).toBuilder().setAttempt(1).build());
    assertThat(coordinator.get(experiment.getId()).getRuns(0).getState())
        .isEqualTo(RunState.RUN_STATE_SUCCEEDED);
  }

  @Test
  void failsARunWhoseHistogramDisagreesWithItsTransactionCount() {
    RecordingStream<CoordinatorToWorker> stream = new RecordingStream<>();
    ConnectedWorker worker = coordinator.register(Specs.register("w1", 2), stream);
    Experiment experiment = coordinator.submit(Specs.tcpRr(1));
    RunCompleted lying = completion(assignedRuns(stream).get(0), 100).toBuilder()
        .setResult(completion(assignedRuns(stream).get(0), 100).getResult().toBuilder()
            .setTransactions(101))
        .build();

    coordinator.completed(worker, lying);

    Run run = coordinator.get(experiment.getId()).getRuns(0);
    assertThat(run.getState()).isEqualTo(RunState.RUN_STATE_FAILED);
    assertThat(run.getReason()).isEqualTo("worker 'w1' sent an inconsistent result: histogram "
        + "holds 100 transactions, the result says 101");
  }

  @Test
  void aFailedRunCarriesTheWorkersReason() {
    RecordingStream<CoordinatorToWorker> stream = new RecordingStream<>();
    ConnectedWorker worker = coordinator.register(Specs.register("w1", 2), stream);
    Experiment experiment = coordinator.submit(Specs.tcpRr(1));

    coordinator.failed(worker, RunFailed.newBuilder()
        .setRunId(assignedRuns(stream).get(0).getId())
        .setReason("cross-cpu needs 2 online vCPUs, this guest has 1")
        .build());

    var done = coordinator.get(experiment.getId());
    assertThat(done.getExperiment().getState()).isEqualTo(ExperimentState.EXPERIMENT_STATE_FAILED);
    assertThat(done.getRuns(0).getReason())
        .isEqualTo("worker 'w1': cross-cpu needs 2 online vCPUs, this guest has 1");
  }

  @Test
  void cancelStopsTheRunningRunAndCancelsThePendingOnes() {
    RecordingStream<CoordinatorToWorker> stream = new RecordingStream<>();
    coordinator.register(Specs.register("w1", 2), stream);
    Experiment experiment = coordinator.submit(Specs.tcpRr(3));

    Experiment cancelled = coordinator.cancel(experiment.getId(), "");

    assertThat(cancelled.getState()).isEqualTo(ExperimentState.EXPERIMENT_STATE_CANCELLED);
    assertThat(cancelled.getRunCounts().getCancelled()).isEqualTo(3);
    assertThat(stream.messages).filteredOn(CoordinatorToWorker::hasCancel).singleElement()
        .extracting(m -> m.getCancel().getRunId())
        .isEqualTo(assignedRuns(stream).get(0).getId());
  }

  @Test
  void disconnectsAWorkerSilentForThreeHeartbeatIntervals() {
    RecordingStream<CoordinatorToWorker> stream = new RecordingStream<>();
    ConnectedWorker worker = coordinator.register(Specs.register("w1", 2), stream);
    Experiment experiment = coordinator.submit(Specs.tcpRr(1));

    clock.advance(Duration.ofMillis(2_900));
    assertThat(coordinator.expireSilentWorkers()).isEmpty();
    coordinator.heartbeat(worker);
    clock.advance(Duration.ofMillis(3_100));
    assertThat(coordinator.expireSilentWorkers()).containsExactly(worker);

    assertThat(coordinator.workers()).isEmpty();
    clock.advance(Duration.ofMillis(3_100));
    coordinator.expireSilentWorkers();
    assertThat(coordinator.get(experiment.getId()).getRuns(0).getEarlierAttemptsList())
        .containsExactly("attempt 1: worker 'w1' disconnected mid-run (no heartbeat for 3 s) "
            + "and did not come back within 3 s");
  }

  @Test
  void refusesASecondWorkerWithTheSameId() {
    connect("w1", 2);

    assertThatThrownBy(() -> connect("w1", 2))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS));
  }

  @Test
  void unknownExperimentIsNotFound() {
    assertThatThrownBy(() -> coordinator.get("e-nope"))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
          assertThat(e.getStatus().getDescription()).isEqualTo("experiment 'e-nope' not found");
        });
  }

  private ConnectedWorker connect(String id, int vcpus) {
    return coordinator.register(Specs.register(id, vcpus), new RecordingStream<>());
  }

  private static List<Run> assignedRuns(RecordingStream<CoordinatorToWorker> stream) {
    return stream.messages.stream().filter(CoordinatorToWorker::hasAssign)
        .map(m -> m.getAssign().getRun()).toList();
  }

  private static RunCompleted completion(Run run, int transactions) {
    return Completions.of(run, transactions);
  }

}

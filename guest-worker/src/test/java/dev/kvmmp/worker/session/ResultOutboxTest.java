package dev.kvmmp.worker.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvmmp.proto.v1.RunCompleted;
import dev.kvmmp.proto.v1.RunFailed;
import dev.kvmmp.proto.v1.WorkerMessage;
import dev.kvmmp.worker.session.ResultOutbox.RunAttempt;
import org.junit.jupiter.api.Test;

class ResultOutboxTest {

  private static WorkerMessage completed(String runId, int attempt) {
    return WorkerMessage.newBuilder().setCompleted(RunCompleted.newBuilder()
        .setRunId(runId).setAttempt(attempt)).build();
  }

  private static WorkerMessage failed(String runId, int attempt) {
    return WorkerMessage.newBuilder().setFailed(RunFailed.newBuilder()
        .setRunId(runId).setAttempt(attempt).setReason("memcached exited")).build();
  }

  @Test
  void keepsResultsOldestFirstUntilTheirOwnAttemptIsAccepted() {
    ResultOutbox outbox = new ResultOutbox(4);
    outbox.add(completed("r1", 1));
    outbox.add(failed("r2", 2));

    assertThat(outbox.accepted(new RunAttempt("r2", 1))).as("another attempt").isFalse();
    assertThat(outbox.pending()).containsExactly(completed("r1", 1), failed("r2", 2));
    assertThat(outbox.newest()).contains(new RunAttempt("r2", 2));

    assertThat(outbox.accepted(new RunAttempt("r2", 2))).isTrue();
    assertThat(outbox.pending()).containsExactly(completed("r1", 1));
    assertThat(outbox.newest()).contains(new RunAttempt("r1", 1));
  }

  @Test
  void dropsTheOldestResultBeyondItsCapacity() {
    ResultOutbox outbox = new ResultOutbox(2);
    outbox.add(completed("r1", 1));
    outbox.add(completed("r2", 1));
    outbox.add(completed("r3", 1));

    assertThat(outbox.pending()).containsExactly(completed("r2", 1), completed("r3", 1));
  }

  @Test
  void aCancelledRunLosesEveryAttemptsResult() {
    ResultOutbox outbox = new ResultOutbox(4);
    outbox.add(completed("r1", 1));
    outbox.add(failed("r1", 2));
    outbox.add(completed("r2", 1));

    assertThat(outbox.dropRun("r1")).isEqualTo(2);
    assertThat(outbox.pending()).containsExactly(completed("r2", 1));
    assertThat(outbox.find(new RunAttempt("r2", 1))).contains(completed("r2", 1));
  }
}

package dev.kvmmp.worker.session;

import dev.kvmmp.proto.v1.WorkerMessage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Results (RunCompleted, RunFailed) the coordinator has not yet accepted, oldest first, so that
 * none is lost to a broken stream or a coordinator restart: each is sent again after every
 * registration until a ResultAccepted with its run id and attempt arrives. Bounded: a worker
 * cut off for long keeps its newest results and says which it dropped. Not thread-safe: its
 * owner serializes access.
 */
final class ResultOutbox {

  /** Results kept at most; one run at a time means a few at most unless the coordinator is gone. */
  static final int CAPACITY = 16;

  private static final Logger log = LoggerFactory.getLogger(ResultOutbox.class);

  private final Map<RunAttempt, WorkerMessage> results = new LinkedHashMap<>();
  private final int capacity;

  ResultOutbox(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity: " + capacity + " (must be at least 1)");
    }
    this.capacity = capacity;
  }

  /** A run id with its attempt: what a result and its acceptance are matched on. */
  record RunAttempt(String runId, int attempt) {

    static RunAttempt of(WorkerMessage result) {
      return switch (result.getMessageCase()) {
        case COMPLETED -> new RunAttempt(result.getCompleted().getRunId(),
            result.getCompleted().getAttempt());
        case FAILED -> new RunAttempt(result.getFailed().getRunId(),
            result.getFailed().getAttempt());
        default -> throw new IllegalArgumentException("not a result: " + result.getMessageCase());
      };
    }
  }

  /** Keeps {@code result} (a RunCompleted or RunFailed) until it is accepted. */
  void add(WorkerMessage result) {
    RunAttempt key = RunAttempt.of(result);
    results.remove(key);
    results.put(key, result);
    if (results.size() > capacity) {
      Iterator<RunAttempt> oldest = results.keySet().iterator();
      RunAttempt dropped = oldest.next();
      oldest.remove();
      log.warn("result of run {} attempt {} dropped unaccepted: more than {} results wait for "
          + "the coordinator", dropped.runId(), dropped.attempt(), capacity);
    }
  }

  /** The result of {@code key}, when it is kept. */
  Optional<WorkerMessage> find(RunAttempt key) {
    return Optional.ofNullable(results.get(key));
  }

  /** Forgets the result of {@code key}; false when it was not kept. */
  boolean accepted(RunAttempt key) {
    return results.remove(key) != null;
  }

  /** Forgets every result of run {@code runId}, whatever its attempt; how many there were. */
  int dropRun(String runId) {
    int before = results.size();
    results.keySet().removeIf(key -> key.runId().equals(runId));
    return before - results.size();
  }

  /** Every result kept, oldest first. */
  List<WorkerMessage> pending() {
    return new ArrayList<>(results.values());
  }

  /** The newest result kept, if any. */
  Optional<RunAttempt> newest() {
    RunAttempt last = null;
    for (RunAttempt key : results.keySet()) {
      last = key;
    }
    return Optional.ofNullable(last);
  }
}

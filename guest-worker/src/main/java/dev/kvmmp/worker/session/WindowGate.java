package dev.kvmmp.worker.session;

import dev.kvmmp.proto.v1.WindowEdge;
import dev.kvmmp.proto.v1.WindowEdge.Edge;
import dev.kvmmp.proto.v1.WindowGo;
import dev.kvmmp.proto.v1.WorkerMessage;
import dev.kvmmp.worker.workload.WindowObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brackets a run's measured window with the host's snapshots: just before the window opens and
 * just after it closes, announces the edge (WindowEdge) and waits for the coordinator's WindowGo,
 * which comes once the probe of the run's host has taken its snapshot. Must be the outermost
 * observer, so that the host's snapshots enclose the guest's own. A missing or failed snapshot
 * never stops the run: the wait ends after {@link #WAIT} and the result says which edge was not
 * bracketed and why.
 */
final class WindowGate implements WindowObserver {

  /**
   * Longest wait for a WindowGo. A snapshot takes milliseconds; a coordinator or probe that does
   * not answer in seconds is gone, and the run had better go on unbracketed than hang, since the
   * guest's own counts still stand.
   */
  static final Duration WAIT = Duration.ofSeconds(5);

  private static final Logger log = LoggerFactory.getLogger(WindowGate.class);

  private final String runId;
  private final int attempt;
  private final Consumer<WorkerMessage> send;
  private final Duration longest;
  private final List<String> notes = new ArrayList<>();
  private Edge awaiting;
  private WindowGo answer;
  private boolean cancelled;

  /**
   * @param send delivers an edge to the coordinator, or drops it while the stream is down
   * @param longest how long to wait for each WindowGo: {@link #WAIT} but in tests
   */
  WindowGate(String runId, int attempt, Consumer<WorkerMessage> send, Duration longest) {
    this.runId = runId;
    this.attempt = attempt;
    this.send = send;
    this.longest = longest;
  }

  @Override
  public void windowOpens() {
    pass(Edge.EDGE_OPENING);
  }

  @Override
  public void windowClosed() {
    pass(Edge.EDGE_CLOSED);
  }

  /** The coordinator's answer to an edge; one for another run, attempt or edge is ignored. */
  synchronized void go(WindowGo go) {
    if (!go.getRunId().equals(runId) || go.getAttempt() != attempt || go.getEdge() != awaiting) {
      log.debug("ignoring WindowGo for run {} attempt {} {}: waiting for {}", go.getRunId(),
          go.getAttempt(), go.getEdge(), awaiting);
      return;
    }
    answer = go;
    notifyAll();
  }

  /** Ends a wait at once: the run is being cancelled. */
  synchronized void cancel() {
    cancelled = true;
    notifyAll();
  }

  /** The edge being waited for, to announce again on a new stream. */
  synchronized Optional<WorkerMessage> pendingEdge() {
    return awaiting == null ? Optional.empty() : Optional.of(edge(awaiting));
  }

  /** What was not bracketed, and why; empty when both edges were. */
  synchronized List<String> notes() {
    return List.copyOf(notes);
  }

  private void pass(Edge edge) {
    synchronized (this) {
      awaiting = edge;
      answer = null;
    }
    send.accept(edge(edge));
    String missing = awaitGo();
    if (missing != null) {
      String note = describe(edge) + " was not bracketed by a host snapshot: " + missing;
      log.info("run {}: {}", runId, note);
      synchronized (this) {
        notes.add(note);
      }
    }
  }

  /** Waits for the answer; null when the snapshot was taken, else why the edge is unbracketed. */
  private synchronized String awaitGo() {
    long deadline = System.nanoTime() + longest.toNanos();
    try {
      for (long left = longest.toNanos(); answer == null && !cancelled && left > 0;
          left = deadline - System.nanoTime()) {
        wait(Math.max(1, left / 1_000_000));
      }
    } catch (InterruptedException e) {
      // The run's deadline interrupts its thread; the workload sees the flag and stops.
      Thread.currentThread().interrupt();
      return "interrupted while waiting for the coordinator's WindowGo";
    } finally {
      awaiting = null;
    }
    if (answer != null) {
      return answer.getSnapshotError().isEmpty() ? null
          : "the host snapshot failed: " + answer.getSnapshotError();
    }
    return cancelled ? "the run was cancelled while waiting for the coordinator's WindowGo"
        : "no WindowGo from the coordinator within " + longest.toMillis() + " ms";
  }

  private WorkerMessage edge(Edge edge) {
    return WorkerMessage.newBuilder().setWindowEdge(WindowEdge.newBuilder()
        .setRunId(runId).setAttempt(attempt).setEdge(edge)).build();
  }

  private static String describe(Edge edge) {
    return edge == Edge.EDGE_OPENING ? "the window's opening" : "the window's close";
  }
}

package dev.kvmmp.cli;

import com.google.protobuf.util.Durations;
import dev.kvmmp.cli.output.RunTable;
import dev.kvmmp.proto.v1.Experiment;
import dev.kvmmp.proto.v1.GetExperimentResponse;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunCounts;
import dev.kvmmp.proto.v1.RunProgress;
import dev.kvmmp.proto.v1.WatchEvent;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;

/**
 * Follows an experiment to its end, showing progress on stderr: a line per finished run, and on
 * a terminal a status line that is redrawn as runs progress.
 */
final class ExperimentFollower {

  /** Takes over what the follower shows: every run change and every progress report. */
  interface Listener {
    void runChanged(Experiment experiment, Run run);

    void progress(Experiment experiment, RunProgress progress);
  }

  private static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
  /** How long a coordinator may stay away before watching gives up. */
  private static final Duration RECONNECT_LIMIT = Duration.ofMinutes(2);

  private final CoordinatorClient client;
  private final PrintStream progressOut;
  private final boolean terminal;
  private final long startedNanos = System.nanoTime();
  private final Listener listener;
  private Experiment experiment = Experiment.getDefaultInstance();

  /** A follower that shows a line per run and, on a terminal, a status line. */
  ExperimentFollower(CoordinatorClient client, PrintStream progressOut, boolean terminal) {
    this(client, progressOut, terminal, null);
  }

  /**
   * A follower that leaves run changes and progress to {@code listener} and prints only its own
   * reconnects; {@code null} for the default lines.
   */
  ExperimentFollower(CoordinatorClient client, PrintStream progressOut, boolean terminal,
      Listener listener) {
    this.client = client;
    this.progressOut = progressOut;
    this.terminal = terminal;
    this.listener = listener;
  }

  /**
   * Blocks until the experiment finishes, then returns it with all its runs. A coordinator that
   * goes away (restarting: it picks up from Kafka) is waited for, with backoff, up to a limit.
   */
  GetExperimentResponse follow(String experimentId) {
    Duration backoff = FIRST_BACKOFF;
    long giveUpAt = Long.MAX_VALUE;
    while (true) {
      try {
        Iterator<WatchEvent> events = client.watch(experimentId);
        while (events.hasNext()) {
          giveUpAt = Long.MAX_VALUE;
          backoff = FIRST_BACKOFF;
          WatchEvent event = events.next();
          switch (event.getEventCase()) {
            case EXPERIMENT -> experiment = event.getExperiment();
            case RUN -> {
              if (listener != null) {
                listener.runChanged(experiment, event.getRun().getRun());
              } else {
                showRun(event.getRun().getRun());
              }
            }
            case PROGRESS -> {
              if (listener != null) {
                listener.progress(experiment, event.getProgress());
              } else {
                showProgress(event.getProgress());
              }
            }
            default -> { }
          }
        }
        clearStatusLine();
        return client.get(experimentId);
      } catch (StatusRuntimeException e) {
        if (e.getStatus().getCode() != Status.Code.UNAVAILABLE) {
          throw e;
        }
        if (giveUpAt == Long.MAX_VALUE) {
          giveUpAt = System.nanoTime() + RECONNECT_LIMIT.toNanos();
        } else if (System.nanoTime() > giveUpAt) {
          throw e;
        }
        clearStatusLine();
        progressOut.printf(Locale.ROOT, "[%s] coordinator unavailable (%s); retrying in %d ms%n",
            elapsed(), e.getStatus().getDescription(), backoff.toMillis());
        sleep(backoff);
        backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF
            : backoff.multipliedBy(2);
      }
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Status.CANCELLED.withDescription("interrupted").asRuntimeException();
    }
  }

  private void showRun(Run run) {
    switch (run.getState()) {
      case RUN_STATE_RUNNING -> {
        clearStatusLine();
        progressOut.printf(Locale.ROOT, "[%s] %s started: %s, fleet %s, on %s, attempt %d%n",
            elapsed(), run.getId(), run.getWorkload().getName(), run.getFleet(),
            run.getWorkerId(), run.getAttempt());
      }
      case RUN_STATE_PENDING -> {
        if (run.getEarlierAttemptsCount() > 0) {
          clearStatusLine();
          progressOut.printf(Locale.ROOT, "[%s] %s re-queued after %s%n", elapsed(),
              run.getId(), run.getEarlierAttempts(run.getEarlierAttemptsCount() - 1));
        }
      }
      case RUN_STATE_SUCCEEDED, RUN_STATE_FAILED, RUN_STATE_CANCELLED -> {
        clearStatusLine();
        progressOut.printf(Locale.ROOT, "[%s] %s %s on %s%s%n", elapsed(), run.getId(),
            RunTable.stateName(run.getState()), run.getWorkerId().isEmpty() ? "-"
                : run.getWorkerId(), run.getReason().isEmpty() ? "" : ": " + run.getReason());
      }
      default -> { }
    }
  }

  private void showProgress(RunProgress progress) {
    if (!terminal) {
      return;
    }
    RunCounts counts = experiment.getRunCounts();
    int done = counts.getSucceeded() + counts.getFailed() + counts.getCancelled();
    progressOut.printf(Locale.ROOT, "\r[%s] runs %d/%d  %s %s %.1f s  %,d tx  ETA %s   ",
        elapsed(), done, counts.getTotal(), progress.getRunId(), progress.getPhase(),
        Durations.toNanos(progress.getElapsed()) / 1e9, progress.getTransactions(),
        clock(remaining(progress)));
    progressOut.flush();
  }

  /**
   * Time left if the remaining runs take as long as the spec says, one after another: runs on
   * several workers finish sooner, so this is an upper bound.
   */
  private Duration remaining(RunProgress progress) {
    RunCounts counts = experiment.getRunCounts();
    Duration warmup = Duration.ofNanos(Durations.toNanos(experiment.getSpec().getWarmup()));
    Duration window = Duration.ofNanos(Durations.toNanos(experiment.getSpec().getDuration()));
    Duration intoThisRun = Duration.ofNanos(Durations.toNanos(progress.getElapsed()));
    if (progress.getPhase().equals("measure")) {
      intoThisRun = intoThisRun.plus(warmup);
    }
    Duration left = warmup.plus(window)
        .multipliedBy(counts.getPending() + counts.getRunning())
        .minus(intoThisRun);
    return left.isNegative() ? Duration.ZERO : left;
  }

  private void clearStatusLine() {
    if (terminal) {
      progressOut.print("\r\033[K");
    }
  }

  private String elapsed() {
    return clock(Duration.ofNanos(System.nanoTime() - startedNanos));
  }

  /** A duration as "mm:ss". */
  static String clock(Duration d) {
    return String.format(Locale.ROOT, "%02d:%02d", d.toMinutes(), d.toSecondsPart());
  }

  static boolean succeeded(Experiment experiment) {
    return experiment.getRunCounts().getSucceeded() == experiment.getRunCounts().getTotal();
  }
}

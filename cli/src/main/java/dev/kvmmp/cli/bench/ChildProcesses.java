package dev.kvmmp.cli.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Starts the native peers' processes and makes sure none outlives its trial: each is stopped
 * when its trial ends, and {@link #close} stops any still running (the command also calls it
 * from a shutdown hook, for a bench interrupted with SIGTERM).
 */
public final class ChildProcesses implements AutoCloseable {

  private static final Duration STOP_GRACE = Duration.ofSeconds(2);

  private final Set<Process> live = ConcurrentHashMap.newKeySet();

  /** A started process; closing it stops it and deletes its captured output. */
  public final class Child implements AutoCloseable {
    private final String what;
    private final Process process;
    private final Path output;

    private Child(String what, Process process, Path output) {
      this.what = what;
      this.process = process;
      this.output = output;
    }

    public boolean isAlive() {
      return process.isAlive();
    }

    public long pid() {
      return process.pid();
    }

    /** Why it is gone, for an error message: exit status and the end of its output. */
    public String exitDescription() {
      return what + " exited with status " + process.exitValue() + ": "
          + OutputText.tail(readOutput(output), 3);
    }

    @Override
    public void close() {
      stop(process);
      live.remove(process);
      deleteQuietly(output);
    }
  }

  /** Starts {@code command}, its stdout and stderr captured together. */
  public Child start(String what, List<String> command) throws TrialException {
    Path output = tempFile();
    try {
      Process process = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(output.toFile())
          .start();
      live.add(process);
      return new Child(what, process, output);
    } catch (IOException e) {
      deleteQuietly(output);
      throw new TrialException("cannot start " + what + " (" + String.join(" ", command) + "): "
          + e.getMessage(), e);
    }
  }

  /**
   * Runs {@code command} to its end and returns its stdout and stderr together.
   *
   * @throws TrialException when it cannot start, outlives {@code timeout} (it is then stopped)
   *     or exits with a status other than 0
   */
  public String run(String what, List<String> command, Duration timeout) throws TrialException {
    return run(what, command, timeout, child -> { });
  }

  /** What to do with a child right after it starts, e.g. pin its threads. */
  @FunctionalInterface
  public interface StartHook {
    void started(Child child) throws TrialException;
  }

  /** Like {@link #run(String, List, Duration)}, with {@code onStart} called once it started. */
  public String run(String what, List<String> command, Duration timeout, StartHook onStart)
      throws TrialException {
    try (Child child = start(what, command)) {
      onStart.started(child);
      boolean exited;
      try {
        exited = child.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TrialException(what + " was interrupted; stopped it", e);
      }
      if (!exited) {
        throw new TrialException(what + " did not finish within " + timeout.toSeconds()
            + " s; stopped it (" + String.join(" ", command) + ")");
      }
      if (child.process.exitValue() != 0) {
        throw new TrialException(child.exitDescription());
      }
      return readOutput(child.output);
    }
  }

  /** Stops every process still running. */
  @Override
  public void close() {
    for (Process process : live) {
      stop(process);
    }
    live.clear();
  }

  private static void stop(Process process) {
    if (!process.isAlive()) {
      return;
    }
    // SIGTERM first so the tool can clean up (sockperf closes its sockets), then SIGKILL.
    process.destroy();
    try {
      if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static Path tempFile() throws TrialException {
    try {
      return Files.createTempFile("kvmmp-bench-", ".out");
    } catch (IOException e) {
      throw new TrialException("cannot create a temporary file for a tool's output: "
          + e.getMessage(), e);
    }
  }

  private static String readOutput(Path file) {
    try {
      return Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read a tool's captured output " + file, e);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // A leftover file in the temp directory is harmless; the measurement is what matters.
    }
  }
}

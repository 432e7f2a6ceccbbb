package dev.kvmmp.cli.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A main class of this JVM's class path in a JVM of its own, so that its CPU time and memory are
 * its alone: started, awaited until it prints its ready line, read from /proc while it runs.
 */
final class BenchJvm implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

  private final String what;
  private final ChildProcesses.Child process;
  private final Matcher ready;

  private BenchJvm(String what, ChildProcesses.Child process, Matcher ready) {
    this.what = what;
    this.process = process;
    this.ready = ready;
  }

  /**
   * Starts {@code mainClass} with {@code args} and waits until its output matches {@code ready}.
   *
   * @throws TrialException when it does not start, exits or does not print the line in time
   */
  static BenchJvm start(ChildProcesses children, String what, String maxHeap, Class<?> mainClass,
      List<String> args, Pattern ready) throws TrialException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java, "-Xmx" + maxHeap, "-cp",
        System.getProperty("java.class.path"), mainClass.getName()));
    command.addAll(args);
    ChildProcesses.Child process = children.start(what, command);
    try {
      return new BenchJvm(what, process, awaitReady(what, process, ready));
    } catch (TrialException | RuntimeException e) {
      process.close();
      throw e;
    }
  }

  /** Group {@code group} of the ready line. */
  String readyGroup(int group) {
    return ready.group(group);
  }

  long pid() {
    return process.pid();
  }

  /** Why the JVM is gone, or empty while it runs. */
  java.util.Optional<String> exited() {
    return process.isAlive() ? java.util.Optional.empty()
        : java.util.Optional.of(process.exitDescription());
  }

  /** What it has printed so far. */
  String output() throws TrialException {
    return outputOf(process);
  }

  /** Throws when the process is gone. */
  void requireAlive() throws TrialException {
    if (!process.isAlive()) {
      throw new TrialException(process.exitDescription());
    }
  }

  /** utime+stime of every thread of the JVM so far. */
  long cpuNanos() throws TrialException {
    Path stat = Path.of("/proc", Long.toString(process.pid()), "stat");
    try {
      return ProcessCpu.nanos(stat);
    } catch (IOException e) {
      throw new TrialException("cannot read the CPU time of the " + what + ": " + e.getMessage(),
          e);
    }
  }

  /** Peak resident set size (VmHWM in /proc/PID/status), in bytes. */
  long peakRssBytes() throws TrialException {
    Path status = Path.of("/proc", Long.toString(process.pid()), "status");
    try {
      return Files.readAllLines(status).stream()
          .filter(l -> l.startsWith("VmHWM:"))
          .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024)
          .findFirst()
          .orElseThrow(() -> new IOException("no VmHWM line"));
    } catch (IOException | NumberFormatException e) {
      throw new TrialException("cannot read the peak RSS of the " + what + " from " + status
          + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    process.close();
  }

  private static Matcher awaitReady(String what, ChildProcesses.Child process, Pattern ready)
      throws TrialException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (true) {
      String output = outputOf(process);
      Matcher matcher = ready.matcher(output);
      if (matcher.find()) {
        return matcher;
      }
      if (!process.isAlive()) {
        throw new TrialException(process.exitDescription());
      }
      if (System.nanoTime() > deadline) {
        throw new TrialException("the " + what + " did not print '" + ready.pattern()
            + "' within " + START_TIMEOUT.toSeconds() + " s: " + OutputText.tail(output, 3));
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new TrialException("interrupted while waiting for the " + what + " to start", e);
      }
    }
  }

  /**
   * What a child printed so far. {@link ChildProcesses} sends its output to a file it keeps to
   * itself; the child's stdout descriptor in /proc opens that same file.
   */
  static String outputOf(ChildProcesses.Child child) throws TrialException {
    Path stdout = Path.of("/proc", Long.toString(child.pid()), "fd", "1");
    try {
      return Files.readString(stdout, StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      if (!child.isAlive()) {
        throw new TrialException(child.exitDescription(), e);
      }
      throw new TrialException("cannot read the output of process " + child.pid() + " from "
          + stdout + ": " + e.getMessage(), e);
    }
  }
}

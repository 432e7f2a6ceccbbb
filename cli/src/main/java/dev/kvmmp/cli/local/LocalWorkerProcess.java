package dev.kvmmp.cli.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A guest-worker started as a child process of this JVM, with its own log file. A separate JVM,
 * so that the coordinator's threads and garbage never share the process being measured. It
 * exits by itself when this process does (--parent-pid).
 */
public final class LocalWorkerProcess implements AutoCloseable {

  private static final String WORKER_MAIN = "dev.kvmmp.worker.GuestWorkerMain";

  private final String workerId;
  private final Process process;
  private final Path log;
  private final Path stateDir;

  private LocalWorkerProcess(String workerId, Process process, Path log, Path stateDir) {
    this.workerId = workerId;
    this.process = process;
    this.log = log;
    this.stateDir = stateDir;
  }

  /**
   * Starts a worker with this JVM's java and class path, connecting to {@code coordinator}.
   *
   * @param stateDir where the worker keeps its knob journal, so that a worker started again on
   *     the same directory restores knobs a killed one left changed
   */
  public static LocalWorkerProcess start(String workerId, String coordinator, Path logDir,
      Path stateDir) throws IOException {
    return start(workerId, coordinator, logDir, stateDir, List.of());
  }

  /** @param options more of GuestWorkerMain's options, e.g. --vm-identity UUID */
  public static LocalWorkerProcess start(String workerId, String coordinator, Path logDir,
      Path stateDir, List<String> options) throws IOException {
    Files.createDirectories(logDir);
    Path log = logDir.resolve(workerId + ".log");
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>(List.of(java,
        "-Dkvmmp.log.level=INFO",
        "-cp", System.getProperty("java.class.path"),
        WORKER_MAIN,
        "--coordinator", coordinator,
        "--worker-id", workerId,
        "--state-dir", stateDir.toString(),
        "--parent-pid", Long.toString(ProcessHandle.current().pid())));
    command.addAll(options);
    Process process = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
    return new LocalWorkerProcess(workerId, process, log, stateDir);
  }

  public String workerId() {
    return workerId;
  }

  public Path log() {
    return log;
  }

  /** Where the worker keeps its knob journal. */
  public Path stateDir() {
    return stateDir;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The last lines of the worker's log, to show why it died. */
  public String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(log);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }

  /** SIGKILL: the worker dies without a word, as a crashed VM would. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** SIGTERM, so the worker closes its stream cleanly; SIGKILL if it takes too long. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
    }
  }
}

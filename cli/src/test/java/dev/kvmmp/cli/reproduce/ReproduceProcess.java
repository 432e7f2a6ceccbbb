package dev.kvmmp.cli.reproduce;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code kvmmp reproduce} as a user runs it: its own JVM, started from the repository's root
 * so that it finds {@code seeds/}, on free ports, with its state in a directory of the test's.
 */
final class ReproduceProcess implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS);

  private final Process process;
  private final Path output;
  private final Path report;

  private ReproduceProcess(Process process, Path output, Path report) {
    this.process = process;
    this.output = output;
    this.report = report;
  }

  static ReproduceProcess start(Path stateDir, String... options) throws IOException {
    Path output = stateDir.resolve("reproduce.out");
    Path report = stateDir.resolve("report.html");
    // Its own session and process group, as a shell gives a command, so that Ctrl-C can be sent
    // to the whole group: the command and the worker it starts, as a terminal does.
    List<String> command = new ArrayList<>(List.of("setsid",
        ProcessHandle.current().info().command().orElse("java"),
        "-cp", System.getProperty("java.class.path"), "dev.kvmmp.cli.KvmmpCommand",
        "reproduce", "--state-dir", stateDir.toString(), "--port", "0",
        "--kafka-port", Integer.toString(freePort()), "--report", report.toString()));
    command.addAll(List.of(options));
    Process process = new ProcessBuilder(command)
        .directory(Path.of("..").toAbsolutePath().normalize().toFile())
        .redirectErrorStream(true)
        .redirectOutput(output.toFile())
        .start();
    return new ReproduceProcess(process, output, report);
  }

  /** Waits for the command to end and returns its exit status. */
  int await(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("kvmmp reproduce did not end within " + timeout + "; output:\n"
          + output());
    }
    return process.exitValue();
  }

  /** Waits until the output holds {@code text}. */
  void awaitOutput(String text, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!output().contains(text)) {
      if (System.nanoTime() > deadline || !process.isAlive()) {
        throw new AssertionError("no '" + text + "' in the output within " + timeout
            + "; output:\n" + output());
      }
      Thread.sleep(200);
    }
  }

  /** Ctrl-C: SIGINT to the command's process group, as a terminal sends it. */
  void interrupt() throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-INT", "--", "-" + process.pid()).inheritIO().start().waitFor();
  }

  long pid() {
    return process.pid();
  }

  String output() {
    try {
      return Files.exists(output) ? Files.readString(output) : "";
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + output, e);
    }
  }

  Path report() {
    return report;
  }

  /** The results the command wrote beside its report. */
  JsonNode results() throws IOException {
    return JSON.readTree(report.resolveSibling("report.json").toFile());
  }

  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}

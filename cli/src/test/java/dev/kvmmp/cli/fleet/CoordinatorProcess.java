package dev.kvmmp.cli.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A coordinator in a child JVM on a fixed port, with Kafka, that a test can kill and restart. */
final class CoordinatorProcess implements AutoCloseable {

  private final int port;
  private final String kafka;
  private final Path log;
  private Process process;

  CoordinatorProcess(int port, String kafka, Path log) {
    this.port = port;
    this.kafka = kafka;
    this.log = log;
  }

  String address() {
    return "127.0.0.1:" + port;
  }

  /** Starts it and waits until it listens (after reading its state back from Kafka). */
  void start() throws IOException, InterruptedException {
    String java = ProcessHandle.current().info().command().orElse("java");
    process = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
        "dev.kvmmp.coordinator.CoordinatorMain", "--port", Integer.toString(port),
        "--kafka", kafka, "--heartbeat-interval", "PT1S"))
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
        .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(log) && Files.readString(log).contains("listening on 127.0.0.1:" + port)
          && process.isAlive()) {
        return;
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("coordinator exited: " + Files.readString(log));
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("coordinator did not listen within 60 s: "
        + Files.readString(log));
  }

  /** SIGKILL: no goodbye to workers, nothing flushed beyond what Kafka acknowledged. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
    // The log is appended to by the next start; a marker keeps the two apart.
    try {
      Files.writeString(log, "\n--- killed ---\n", java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
  }
}

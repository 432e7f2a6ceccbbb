package dev.kvmmp.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka (KRaft, broker and controller in one) running in this JVM on
 * 127.0.0.1: the broker of {@code kvmmp local} and of the ITs.
 *
 * <p>Its data lives in a directory of the caller's choosing and survives {@link #stop} and a new
 * instance on the same directory: the directory is formatted only the first time, and keeps the
 * cluster id. The ports are chosen once (free ones unless given) and kept for every restart of
 * this instance, so clients configured with {@link #bootstrapServers()} reconnect by themselves.
 *
 * <p>The broker logs through SLF4J (Kafka's own log4j2 calls are routed there too); its INFO is
 * verbose, so set {@code org.apache.kafka}, {@code kafka} and {@code state.change.logger} to WARN
 * in the application's logging configuration.
 *
 * <p>Not thread-safe beyond its own methods, which are synchronized.
 */
public final class EmbeddedKafka implements AutoCloseable {

  /** Long enough for a cold start on a loaded 2-vCPU machine (a start takes ~4 s here). */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);

  private final Path dataDir;
  private final BrokerSettings settings;
  private KafkaRaftServer server;
  private String clusterId;

  /**
   * A broker (not yet started) keeping its data in {@code dataDir}.
   *
   * @param port the client port on 127.0.0.1; 0 for a free one, chosen now and kept
   */
  public EmbeddedKafka(Path dataDir, int port) {
    this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("port must be in 0..65535 (0 = a free one), was " + port);
    }
    int clientPort = port == 0 ? freePort() : port;
    int controllerPort = freePort();
    while (controllerPort == clientPort) {
      controllerPort = freePort();
    }
    this.settings = new BrokerSettings(dataDir.resolve("log"), clientPort, controllerPort);
  }

  /** Formats the data directory if it is new, starts the broker and waits until it serves. */
  public synchronized void start(Duration timeout) {
    if (server != null) {
      throw new IllegalStateException("embedded Kafka at " + bootstrapServers() + " already runs");
    }
    try {
      Files.createDirectories(settings.logDir());
      Path properties = dataDir.resolve("server.properties");
      StorageFormat.write(settings.toProperties(), properties);
      clusterId = StorageFormat.formatIfNeeded(settings.logDir(), properties);
    } catch (IOException e) {
      throw new UncheckedIOException("embedded Kafka: preparing " + dataDir + ": " + e.getMessage(),
          e);
    }
    long begin = System.nanoTime();
    KafkaRaftServer starting =
        new KafkaRaftServer(new KafkaConfig(settings.toProperties(), false), Time.SYSTEM);
    try {
      within(timeout, "start", starting::startup);
    } catch (RuntimeException e) {
      // A half-started broker holds the directory lock and its ports.
      try {
        shutDown(starting, timeout, "stop after a failed start");
      } catch (RuntimeException stopFailure) {
        e.addSuppressed(stopFailure);
      }
      throw e;
    }
    server = starting;
    log.info("embedded Kafka {} started at {} in {} ms (data in {})", clusterId,
        bootstrapServers(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin), dataDir);
  }

  /** Starts with {@link #DEFAULT_TIMEOUT}. */
  public void start() {
    start(DEFAULT_TIMEOUT);
  }

  /**
   * Shuts the broker down cleanly (its logs flushed, its directory lock and ports released),
   * waiting at most {@code timeout}. Does nothing if it is not running.
   */
  public synchronized void stop(Duration timeout) {
    if (server == null) {
      return;
    }
    KafkaRaftServer stopping = server;
    server = null;
    shutDown(stopping, timeout, "stop");
  }

  /** Stops with {@link #DEFAULT_TIMEOUT}. */
  public void stop() {
    stop(DEFAULT_TIMEOUT);
  }

  @Override
  public void close() {
    stop();
  }

  public synchronized boolean isRunning() {
    return server != null;
  }

  /** {@code 127.0.0.1:<port>}, the same across restarts of this instance. */
  public String bootstrapServers() {
    return BrokerSettings.HOST + ":" + settings.port();
  }

  /** A new admin client of this broker, e.g. to create topics; the caller closes it. */
  public Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()));
  }

  public int port() {
    return settings.port();
  }

  public Path dataDir() {
    return dataDir;
  }

  /** The cluster id kept in the data directory; known once the broker has started. */
  public synchronized String clusterId() {
    if (clusterId == null) {
      throw new IllegalStateException("embedded Kafka in " + dataDir + " was never started");
    }
    return clusterId;
  }

  private void shutDown(KafkaRaftServer stopping, Duration timeout, String what) {
    within(timeout, what, () -> {
      stopping.shutdown();
      stopping.awaitShutdown();
    });
  }

  /** Runs a blocking Kafka call on a thread of its own so that the caller waits a bounded time. */
  private void within(Duration timeout, String what, Runnable action) {
    FutureTask<Void> task = new FutureTask<>(action, null);
    Thread thread = new Thread(task, "embedded-kafka-" + what.replace(' ', '-'));
    thread.setDaemon(true);
    thread.start();
    try {
      task.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("embedded Kafka at " + bootstrapServers() + ": " + what
          + " did not finish within " + timeout.toMillis() + " ms", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("embedded Kafka at " + bootstrapServers() + ": " + what
          + " failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("embedded Kafka at " + bootstrapServers() + ": interrupted"
          + " while waiting for " + what, e);
    }
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("embedded Kafka: bind(127.0.0.1:0) to find a free port: "
          + e.getMessage(), e);
    }
  }
}

package dev.kvmmp.cli.local;

import dev.kvmmp.kafka.EmbeddedKafka;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The single-node KRaft broker of {@code kvmmp local}, in this process, on a fixed port of
 * 127.0.0.1 so that other tools (and the next {@code kvmmp local}) find it where they found it
 * before. Its data directory keeps every experiment and run across restarts.
 */
public final class LocalBroker implements AutoCloseable {

  private final EmbeddedKafka kafka;

  private LocalBroker(EmbeddedKafka kafka) {
    this.kafka = kafka;
  }

  /**
   * Starts the broker, formatting {@code dataDir} the first time.
   *
   * @throws LocalStartException when the port is taken or the broker does not start
   */
  public static LocalBroker start(Path dataDir, int port) throws LocalStartException {
    Optional<String> taken = whyTaken(port);
    if (taken.isPresent()) {
      throw new LocalStartException("--kafka-port: 127.0.0.1:" + port + " is taken ("
          + taken.get() + "); pass --kafka-port with a free port for the embedded broker, or "
          + "--kafka HOST:PORT to use a running Kafka instead");
    }
    EmbeddedKafka kafka = new EmbeddedKafka(dataDir, port);
    try {
      kafka.start();
    } catch (RuntimeException e) {
      // EmbeddedKafka's messages name the broker, the step and the cause.
      throw new LocalStartException(e.getMessage() + " (data in " + dataDir + ")", e);
    }
    return new LocalBroker(kafka);
  }

  /** Why nothing can listen on 127.0.0.1:{@code port}; empty when something can. */
  static Optional<String> whyTaken(int port) {
    try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("bind: " + e.getMessage());
    }
  }

  public String bootstrapServers() {
    return kafka.bootstrapServers();
  }

  public Path dataDir() {
    return kafka.dataDir();
  }

  /** Stops the broker cleanly: its logs flushed, the directory lock and the port released. */
  @Override
  public void close() {
    kafka.stop();
  }
}

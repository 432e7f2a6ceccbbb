package dev.kvmmp.cli.local;

import dev.kvmmp.coordinator.CoordinatorMain;
import dev.kvmmp.coordinator.CoordinatorServer;
import dev.kvmmp.coordinator.state.StateLogException;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;

/** Starts the coordinator of {@code kvmmp local} in this process, on 127.0.0.1. */
public final class LocalCoordinator {

  private LocalCoordinator() {
  }

  /**
   * @param kafka bootstrap servers of the system of record; empty keeps state in memory
   * @throws LocalStartException when the port is taken or Kafka cannot be reached
   */
  public static CoordinatorServer start(int port, Duration heartbeatInterval,
      Optional<String> kafka) throws LocalStartException {
    try {
      return CoordinatorMain.start("127.0.0.1", port, heartbeatInterval, kafka);
    } catch (IOException e) {
      throw new LocalStartException("--port: cannot listen on 127.0.0.1:" + port + " ("
          + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage())
          + "); pass --port 0 or a free port", e);
    } catch (StateLogException e) {
      throw new LocalStartException(e.getMessage(), e);
    }
  }
}

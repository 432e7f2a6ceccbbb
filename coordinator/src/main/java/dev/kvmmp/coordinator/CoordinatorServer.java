package dev.kvmmp.coordinator;

import dev.kvmmp.coordinator.grpc.ExperimentGrpcService;
import dev.kvmmp.coordinator.grpc.InventoryGrpcService;
import dev.kvmmp.coordinator.grpc.ProbeGrpcService;
import dev.kvmmp.coordinator.grpc.WorkerGrpcService;
import dev.kvmmp.coordinator.workers.ConnectedWorker;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.protobuf.services.ProtoReflectionServiceV1;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's gRPC server: experiment, inventory, worker and probe services plus health
 * and reflection. Takes a {@link ServerBuilder} so that tests can pass an in-process one.
 */
public final class CoordinatorServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(CoordinatorServer.class);

  private final Server server;
  private final Coordinator coordinator;
  private final ProbeGrpcService probes;
  private final HealthStatusManager health = new HealthStatusManager();
  private final ScheduledExecutorService heartbeatSweeper =
      Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "kvmmp-heartbeat-sweeper");
        t.setDaemon(true);
        return t;
      });

  public CoordinatorServer(ServerBuilder<?> builder, Coordinator coordinator, Clock clock) {
    this.coordinator = coordinator;
    this.probes = new ProbeGrpcService(coordinator, clock);
    coordinator.useHostRequests(probes, Coordinator.DEFAULT_IDLE_BASELINE);
    this.server = builder
        .addService(new ExperimentGrpcService(coordinator))
        .addService(new InventoryGrpcService(coordinator, probes))
        .addService(new WorkerGrpcService(coordinator))
        .addService(probes)
        .addService(health.getHealthService())
        .addService(ProtoReflectionServiceV1.newInstance())
        .build();
  }

  public CoordinatorServer start() throws IOException {
    server.start();
    health.setStatus("", ServingStatus.SERVING);
    long intervalMs = coordinator.heartbeatInterval().toMillis();
    heartbeatSweeper.scheduleWithFixedDelay(this::expireSilentWorkers, intervalMs, intervalMs,
        TimeUnit.MILLISECONDS);
    return this;
  }

  /** The port actually bound (useful when asked for port 0). */
  public int port() {
    return server.getPort();
  }

  public Coordinator coordinator() {
    return coordinator;
  }

  /** The probe streams: knob and snapshot requests to a host's probe. */
  public ProbeGrpcService probes() {
    return probes;
  }

  private void expireSilentWorkers() {
    try {
      for (ConnectedWorker worker : coordinator.expireSilentWorkers()) {
        worker.stream().onError(Status.UNAVAILABLE
            .withDescription("no heartbeat from worker '" + worker.id() + "'")
            .asRuntimeException());
      }
      probes.expireSilentProbes();
    } catch (RuntimeException e) {
      log.warn("heartbeat sweep failed", e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    health.enterTerminalState();
    heartbeatSweeper.shutdownNow();
    server.shutdown();
    if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
      server.shutdownNow();
      server.awaitTermination(5, TimeUnit.SECONDS);
    }
    coordinator.close();
  }
}

package dev.kvmmp.coordinator;

import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.InsecureServerCredentials;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import dev.kvmmp.metrics.MetricsEndpoint;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import dev.kvmmp.coordinator.state.KafkaStateLog;
import dev.kvmmp.coordinator.state.MemoryStateLog;
import dev.kvmmp.coordinator.state.StateLog;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs a coordinator until it is stopped. */
@Command(name = "kvmmp-coordinator", mixinStandardHelpOptions = true,
    description = "The kvmmp coordinator: accepts experiments and schedules runs onto workers.")
public final class CoordinatorMain implements Callable<Integer> {

  /** How long to wait for Kafka at start (topics created, state read back). */
  private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(60);

  @Option(names = "--bind", defaultValue = "127.0.0.1",
      description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String bind;

  @Option(names = "--port", defaultValue = "7070",
      description = "gRPC port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--heartbeat-interval", defaultValue = "PT1S",
      description = "How often workers send heartbeats, ISO-8601 (default: ${DEFAULT-VALUE}).")
  Duration heartbeatInterval;

  @Option(names = "--kafka", paramLabel = "HOST:PORT",
      description = "Kafka bootstrap servers: the system of record (experiments, runs), read "
          + "back at start. Without it, state lives in memory and ends with the process.")
  String kafka;

  @Option(names = "--metrics-port", paramLabel = "PORT",
      description = "Serve Prometheus metrics on http://BIND:PORT/metrics; 0 picks a free port. "
          + "Off when not given.")
  Integer metricsPort;

  @Override
  public Integer call() throws Exception {
    try (CoordinatorServer server = start(bind, port, heartbeatInterval,
        Optional.ofNullable(kafka));
        MetricsEndpoint metrics = metricsPort == null ? null : serveMetrics(server)) {
      System.out.printf("kvmmp coordinator listening on %s:%d%n", bind, server.port());
      if (metrics != null) {
        System.out.printf("kvmmp coordinator metrics on http://%s:%d/metrics%n", bind,
            metrics.port());
      }
      System.out.flush();
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
      stopped.await();
    }
    return 0;
  }

  private MetricsEndpoint serveMetrics(CoordinatorServer server) throws IOException {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    server.coordinator().bindMetrics(registry);
    return MetricsEndpoint.start(registry, bind, metricsPort);
  }

  /** Starts a coordinator with a real gRPC server on {@code bind:port}, state in memory. */
  public static CoordinatorServer start(String bind, int port, Duration heartbeatInterval)
      throws IOException {
    return start(bind, port, heartbeatInterval, Optional.empty());
  }

  /**
   * Starts a coordinator with a real gRPC server on {@code bind:port}; with Kafka bootstrap
   * servers, its state is recorded there and read back first.
   *
   * @throws dev.kvmmp.coordinator.state.StateLogException when Kafka cannot be reached
   */
  public static CoordinatorServer start(String bind, int port, Duration heartbeatInterval,
      Optional<String> kafka) throws IOException {
    StateLog stateLog = kafka.<StateLog>map(servers -> KafkaStateLog.open(servers,
        KAFKA_TIMEOUT)).orElseGet(MemoryStateLog::new);
    Coordinator coordinator = new Coordinator(Clock.systemUTC(), heartbeatInterval,
        ExperimentIds::next, stateLog);
    return new CoordinatorServer(
        NettyServerBuilder.forAddress(new InetSocketAddress(bind, port),
            InsecureServerCredentials.create()),
        coordinator, Clock.systemUTC()).start();
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new CoordinatorMain()).execute(args));
  }
}

package dev.kvmmp.aggregator;

import dev.kvmmp.metrics.MetricsEndpoint;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the aggregator until it is stopped. */
@Command(name = "kvmmp-aggregator", mixinStandardHelpOptions = true,
    description = "The kvmmp aggregator: joins runs with their host snapshots into run reports "
        + "and compares fleets (Kafka Streams).")
public final class AggregatorMain implements Callable<Integer> {

  @Option(names = "--kafka", required = true, paramLabel = "HOST:PORT",
      description = "Kafka bootstrap servers.")
  String kafka;

  @Option(names = "--state-dir", defaultValue = ".kvmmp/aggregator",
      description = "Where the Streams stores live (default: ${DEFAULT-VALUE}).")
  Path stateDir;

  @Option(names = "--report-timeout", defaultValue = "PT60S",
      description = "How long an ended run waits for its host snapshots, ISO-8601 "
          + "(default: ${DEFAULT-VALUE}).")
  Duration reportTimeout;

  @Option(names = "--metrics-port", paramLabel = "PORT",
      description = "Serve Prometheus metrics on http://127.0.0.1:PORT/metrics; 0 picks one.")
  Integer metricsPort;

  @Override
  public Integer call() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    AggregatorMetrics metrics = new AggregatorMetrics(registry);
    try (MetricsEndpoint endpoint = metricsPort == null ? null
            : MetricsEndpoint.start(registry, "127.0.0.1", metricsPort);
        Aggregator aggregator = Aggregator.start(Aggregators.topology(metrics, reportTimeout),
            kafka, stateDir, Duration.ofSeconds(60))) {
      System.out.printf("kvmmp aggregator running on %s, state in %s%s%n", kafka, stateDir,
          endpoint == null ? "" : ", metrics on http://127.0.0.1:" + endpoint.port() + "/metrics");
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
      stopped.await();
    }
    return 0;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new AggregatorMain()).execute(args));
  }
}

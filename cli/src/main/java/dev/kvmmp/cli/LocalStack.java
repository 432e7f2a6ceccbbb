package dev.kvmmp.cli;

import com.sun.security.auth.module.UnixSystem;
import dev.kvmmp.cli.local.LocalAggregator;
import dev.kvmmp.cli.local.LocalBroker;
import dev.kvmmp.cli.local.LocalCoordinator;
import dev.kvmmp.cli.local.LocalParts;
import dev.kvmmp.cli.local.LocalProbe;
import dev.kvmmp.cli.local.LocalStartException;
import dev.kvmmp.cli.local.LocalWorkers;
import dev.kvmmp.coordinator.CoordinatorServer;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The embedded default, for {@code kvmmp local} and {@code kvmmp reproduce}: a Kafka broker
 * (unless a cluster is given), the coordinator with its state in Kafka, the aggregator, the
 * guest-workers and, where one can run, a host-probe — started in that order and stopped in
 * reverse by {@link #close()}.
 */
final class LocalStack implements AutoCloseable {

  private static final Duration REGISTRATION_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(1);

  /**
   * What to start.
   *
   * @param port the coordinator's port on 127.0.0.1, 0 for a free one
   * @param workers how many local guest-workers
   * @param stateDir the broker's data (kafka/), the aggregator's state, logs, journals
   * @param kafkaPort the embedded broker's port
   * @param kafka a Kafka cluster to use instead of starting a broker
   * @param noProbe start no host-probe even where one could run
   */
  record Settings(int port, int workers, Path stateDir, int kafkaPort, Optional<String> kafka,
      boolean noProbe) {}

  private final LocalParts parts;
  private ManagedChannel channel;
  private CoordinatorClient client;
  private String kafkaServers;
  private String coordinatorAddress;
  private Optional<String> whyNoProbe = Optional.empty();

  private LocalStack(LocalParts parts) {
    this.parts = parts;
  }

  /**
   * Starts every part, each start announced and timed through {@code parts}. When a part fails
   * to start, what started before it stays in {@code parts} for the caller to close.
   */
  static LocalStack start(Settings settings, LocalParts parts)
      throws LocalStartException, InterruptedException {
    LocalStack stack = new LocalStack(parts);
    try {
      stack.startParts(settings);
    } catch (LocalStartException | InterruptedException | RuntimeException e) {
      if (stack.channel != null) {
        stack.channel.shutdownNow();
      }
      throw e;
    }
    return stack;
  }

  private void startParts(Settings settings) throws LocalStartException, InterruptedException {
    kafkaServers = settings.kafka().orElse(null);
    if (kafkaServers == null) {
      Path data = settings.stateDir().resolve("kafka");
      LocalBroker broker = parts.start("Kafka broker", "the Kafka broker on 127.0.0.1:"
              + settings.kafkaPort() + " (data in " + data + ")",
          () -> LocalBroker.start(data, settings.kafkaPort()),
          b -> "Kafka broker on " + b.bootstrapServers() + ", data in " + b.dataDir());
      kafkaServers = broker.bootstrapServers();
    }
    CoordinatorServer server = parts.start("coordinator", "the coordinator (state in Kafka at "
            + kafkaServers + ")",
        () -> LocalCoordinator.start(settings.port(), HEARTBEAT_INTERVAL,
            Optional.of(kafkaServers)),
        s -> "coordinator on 127.0.0.1:" + s.port());
    Path aggregatorState = settings.stateDir().resolve("aggregator");
    parts.start("aggregator", "the aggregator (run reports, fleet comparisons)",
        () -> LocalAggregator.start(kafkaServers, aggregatorState), LocalAggregator::describe);
    coordinatorAddress = "127.0.0.1:" + server.port();
    CoordinatorOptions options = new CoordinatorOptions();
    options.address = coordinatorAddress;
    channel = options.open();
    client = new CoordinatorClient(channel);
    LocalWorkers workers = parts.start("workers", settings.workers() + " guest-worker(s)",
        () -> LocalWorkers.start(settings.workers(), coordinatorAddress, settings.stateDir(),
            client, REGISTRATION_TIMEOUT),
        w -> w.count() + " guest-worker(s) connected");
    workers.describe().forEach(parts::line);
    startProbe(settings);
  }

  /** A probe where one can run; otherwise one line saying why there is none. */
  private void startProbe(Settings settings) throws LocalStartException, InterruptedException {
    whyNoProbe = settings.noProbe() ? Optional.of("--no-probe")
        : LocalProbe.whyNot(new UnixSystem().getUid(), Path.of("/dev/kvm"));
    if (whyNoProbe.isPresent()) {
      parts.line("no host-probe: " + whyNoProbe.get());
      return;
    }
    Path journal = settings.stateDir().resolve("probe");
    parts.start("host-probe", "the host-probe (host knob journal in " + journal + ")",
        () -> LocalProbe.start(coordinatorAddress, Optional.of(kafkaServers), journal, channel,
            REGISTRATION_TIMEOUT),
        LocalProbe::describe);
  }

  CoordinatorClient client() {
    return client;
  }

  String kafkaServers() {
    return kafkaServers;
  }

  String coordinatorAddress() {
    return coordinatorAddress;
  }

  /** Why no host-probe runs here, or empty when one does. */
  Optional<String> whyNoProbe() {
    return whyNoProbe;
  }

  @Override
  public void close() {
    if (channel != null) {
      channel.shutdownNow();
    }
    parts.close();
  }
}

package dev.kvmmp.cli;

import com.sun.security.auth.module.UnixSystem;
import dev.kvmmp.cli.local.LocalBroker;
import dev.kvmmp.cli.local.LocalCoordinator;
import dev.kvmmp.cli.local.LocalAggregator;
import dev.kvmmp.cli.local.LocalParts;
import dev.kvmmp.cli.local.LocalProbe;
import dev.kvmmp.cli.local.LocalStartException;
import dev.kvmmp.cli.local.LocalWorkers;
import dev.kvmmp.coordinator.CoordinatorServer;
import dev.kvmmp.proto.v1.ExperimentSpec;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Everything on this machine: a Kafka broker, a coordinator and (as root, with KVM) a host-probe
 * in this process, and guest-workers as child processes. With a spec file, runs that experiment
 * and exits; without, serves until Ctrl-C. Either way everything stops in reverse order.
 */
@Command(name = "local",
    description = "Run a Kafka broker, a coordinator, local guest-workers and (as root, with "
        + "/dev/kvm) a host-probe on this machine; with FILE, run that experiment, print its "
        + "runs and exit.")
final class LocalCommand implements Callable<Integer> {

  private static final Duration REGISTRATION_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(1);

  @Parameters(paramLabel = "FILE", arity = "0..1",
      description = "Experiment spec to run, e.g. seeds/quickstart/tcp_rr.yaml")
  Path file;

  @Option(names = "--port", defaultValue = "7070",
      description = "Coordinator port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--workers", defaultValue = "1",
      description = "Local guest-workers to start, 1-16 (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--state-dir", defaultValue = ".kvmmp",
      description = "Where local state, the broker's data (kafka/) and logs go "
          + "(default: ${DEFAULT-VALUE}).")
  Path stateDir;

  @Option(names = "--kafka-port", defaultValue = "9092",
      description = "Port of the embedded Kafka broker on 127.0.0.1, fixed so that its clients "
          + "find it again after a restart (default: ${DEFAULT-VALUE}).")
  int kafkaPort;

  @Option(names = "--kafka", paramLabel = "HOST:PORT",
      description = "Use this Kafka cluster instead of starting a broker.")
  String kafka;

  @Option(names = "--no-probe", description = "Start no host-probe, even as root.")
  boolean noProbe;

  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = command.commandLine().getOut();
    PrintWriter err = command.commandLine().getErr();
    if (workers < 1 || workers > 16 || kafkaPort < 1 || kafkaPort > 65_535) {
      err.printf("kvmmp local: --workers %d must be 1-16, --kafka-port %d 1-65535%n", workers,
          kafkaPort);
      return ExitCodes.BAD_INPUT;
    }
    ExperimentSpec spec = null;
    if (file != null) {
      Optional<ExperimentSpec> read = SpecFiles.read(file, err);
      if (read.isEmpty()) {
        return ExitCodes.BAD_INPUT;
      }
      spec = read.get();
    }
    LocalParts parts = new LocalParts(out);
    // Ctrl-C: the JVM runs this hook and waits for it, so the probe puts its knobs back.
    Thread cleanup = new Thread(parts::close, "kvmmp-local-stop");
    Runtime.getRuntime().addShutdownHook(cleanup);
    ManagedChannel channel = null;
    try {
      Optional<String> bootstrap = Optional.ofNullable(kafka);
      if (bootstrap.isEmpty()) {
        Path data = stateDir.resolve("kafka");
        LocalBroker broker = parts.start("Kafka broker", "the Kafka broker on 127.0.0.1:"
                + kafkaPort + " (data in " + data + ")",
            () -> LocalBroker.start(data, kafkaPort),
            b -> "Kafka broker on " + b.bootstrapServers() + ", data in " + b.dataDir());
        bootstrap = Optional.of(broker.bootstrapServers());
      }
      Optional<String> kafkaServers = bootstrap;
      CoordinatorServer server = parts.start("coordinator", "the coordinator (state in Kafka "
              + "at " + kafkaServers.get() + ")",
          () -> LocalCoordinator.start(port, HEARTBEAT_INTERVAL, kafkaServers),
          s -> "coordinator on 127.0.0.1:" + s.port());
      Path aggregatorState = stateDir.resolve("aggregator");
      parts.start("aggregator", "the aggregator (run reports, fleet comparisons)",
          () -> LocalAggregator.start(kafkaServers.get(), aggregatorState),
          LocalAggregator::describe);
      String address = "127.0.0.1:" + server.port();
      CoordinatorOptions options = new CoordinatorOptions();
      options.address = address;
      channel = options.open();
      CoordinatorClient client = new CoordinatorClient(channel);
      LocalWorkers started = parts.start("workers", workers + " guest-worker(s)",
          () -> LocalWorkers.start(workers, address, stateDir, client, REGISTRATION_TIMEOUT),
          w -> w.count() + " guest-worker(s) connected");
      started.describe().forEach(parts::line);
      startProbe(parts, address, kafkaServers, channel);
      if (spec != null) {
        int status = SubmitCommand.submit(client, spec, true, out);
        LocalComparison.print(client, kafkaServers.get(), spec, out);
        return status;
      }
      parts.line("ready. In another terminal: ./kvmmp submit FILE --wait --coordinator "
          + address + "   (Ctrl-C here stops everything)");
      new CountDownLatch(1).await();
      return ExitCodes.OK;
    } catch (LocalStartException e) {
      err.println("kvmmp local: " + e.getMessage());
      err.flush();
      return ExitCodes.UNAVAILABLE;
    } finally {
      if (channel != null) {
        channel.shutdownNow();
      }
      parts.close();
      Runtime.getRuntime().removeShutdownHook(cleanup);
    }
  }

  /** A probe where one can run; otherwise one line saying why there is none. */
  private void startProbe(LocalParts parts, String coordinator, Optional<String> kafkaServers,
      ManagedChannel channel) throws LocalStartException, InterruptedException {
    Optional<String> whyNot = noProbe ? Optional.of("--no-probe")
        : LocalProbe.whyNot(new UnixSystem().getUid(), Path.of("/dev/kvm"));
    if (whyNot.isPresent()) {
      parts.line("no host-probe: " + whyNot.get());
      return;
    }
    Path journal = stateDir.resolve("probe");
    parts.start("host-probe", "the host-probe (host knob journal in " + journal + ")",
        () -> LocalProbe.start(coordinator, kafkaServers, journal, channel, REGISTRATION_TIMEOUT),
        LocalProbe::describe);
  }
}

package dev.kvmmp.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/** The options of the embedded default, shared by {@code kvmmp local} and {@code reproduce}. */
final class LocalStackOptions {

  @Option(names = "--port", defaultValue = "7070",
      description = "Coordinator port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--state-dir", defaultValue = ".kvmmp",
      description = "Where local state, the broker's data (kafka/), logs and reports go "
          + "(default: ${DEFAULT-VALUE}).")
  Path stateDir;

  @Option(names = "--kafka-port", defaultValue = "9092",
      description = "Port of the embedded Kafka broker on 127.0.0.1, fixed so that its clients "
          + "find it again after a restart (default: ${DEFAULT-VALUE}).")
  int kafkaPort;

  @Option(names = "--no-probe", description = "Start no host-probe, even as root (host "
      + "workloads, the micro-VM, then cannot run).")
  boolean noProbe;

  /** What is wrong with the options, each naming the option, its value and the limit. */
  List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (port < 0 || port > 65_535) {
      problems.add("--port " + port + " must be 0-65535");
    }
    if (kafkaPort < 1 || kafkaPort > 65_535) {
      problems.add("--kafka-port " + kafkaPort + " must be 1-65535");
    }
    return problems;
  }

  LocalStack.Settings settings(int workers, Optional<String> kafka) {
    return new LocalStack.Settings(port, workers, stateDir, kafkaPort, kafka, noProbe);
  }
}

package dev.kvmmp.cli;

import dev.kvmmp.cli.output.ComparisonTable;
import dev.kvmmp.proto.v1.ExperimentComparison;
import dev.kvmmp.topics.KvmmpTopics;
import dev.kvmmp.topics.LatestValues;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Prints the aggregator's latest fleet comparison of an experiment, from kvmmp.comparisons. */
@Command(name = "compare",
    description = "Show the aggregator's latest comparison of an experiment's fleets.")
final class CompareCommand implements Callable<Integer> {

  private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

  @Parameters(paramLabel = "ID", description = "Experiment id, e.g. e-7f3a9c")
  String experimentId;

  @Option(names = "--kafka", paramLabel = "HOST:PORT", defaultValue = "127.0.0.1:9092",
      description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}, kvmmp local's).")
  String kafka;

  @Option(names = "--wait", defaultValue = "PT0S",
      description = "How long to wait for a comparison to appear, ISO-8601 (default: none).")
  Duration wait;

  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = command.commandLine().getOut();
    PrintWriter err = command.commandLine().getErr();
    Optional<ExperimentComparison> comparison = await(kafka, experimentId, wait);
    if (comparison.isEmpty()) {
      err.printf("kvmmp compare: no comparison of %s on %s at %s%s%n", experimentId,
          KvmmpTopics.COMPARISONS, kafka, wait.isZero() ? "" : " within " + wait.toSeconds()
              + " s");
      return ExitCodes.UNAVAILABLE;
    }
    ComparisonTable.print(comparison.get(), out);
    out.flush();
    return ExitCodes.OK;
  }

  /** The latest comparison of an experiment, polling until {@code wait} has passed. */
  static Optional<ExperimentComparison> await(String kafka, String experimentId, Duration wait)
      throws InterruptedException {
    return awaitUntil(kafka, experimentId, comparison -> true, wait);
  }

  /**
   * The latest comparison of an experiment once {@code done} holds for it, polling until
   * {@code wait} has passed; then whatever the latest is, done or not.
   */
  static Optional<ExperimentComparison> awaitUntil(String kafka, String experimentId,
      Predicate<ExperimentComparison> done, Duration wait) throws InterruptedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      Optional<ExperimentComparison> latest = Optional.ofNullable(LatestValues.read(kafka,
          KvmmpTopics.COMPARISONS, ExperimentComparison.parser(), READ_TIMEOUT)
          .get(experimentId));
      if (latest.filter(done).isPresent() || System.nanoTime() >= deadline) {
        return latest;
      }
      Thread.sleep(500);
    }
  }
}

package dev.kvmmp.cli.bench;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code kvmmp bench aggregator}: whether the aggregator keeps up with a fleet's host samples,
 * and the end-to-end lag of its run reports.
 */
@Command(name = "aggregator", mixinStandardHelpOptions = true,
    description = {"Measure the aggregator at fleet scale: a broker and the aggregator each in a "
        + "JVM of its own; this JVM publishes --hosts periodic host samples a second of --vms "
        + "VMs each, and --runs-per-second bracketed runs, for --seconds; prints the input and "
        + "processing rates, the consumer lag, the end-to-end lag of the run reports p50/p99, "
        + "CPU and RSS, and whether it keeps up with lag p99 <= 2 s.",
        "Exit status: 0 when the goal is met, 1 when not (or the bench failed), 2 on bad "
            + "arguments."})
final class AggregatorBenchCommand implements Callable<Integer> {

  private static final int MIN_HOSTS = 100;

  @Option(names = "--hosts", defaultValue = "10000", paramLabel = "N",
      description = "Simulated hosts (default: ${DEFAULT-VALUE}).")
  int hosts;

  @Option(names = "--vms", defaultValue = "20", paramLabel = "N",
      description = "VMs per host (default: ${DEFAULT-VALUE}).")
  int vms;

  @Option(names = "--seconds", defaultValue = "60", paramLabel = "S",
      description = "How long the generator publishes (default: ${DEFAULT-VALUE}).")
  int seconds;

  @Option(names = "--runs-per-second", defaultValue = "10", paramLabel = "N",
      description = "Bracketed runs a second (default: ${DEFAULT-VALUE}).")
  int runsPerSecond;

  @Option(names = "--warmup", defaultValue = "10", paramLabel = "S",
      description = "Seconds of publishing before the measured --seconds, left out of the "
          + "figures (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--heap", defaultValue = "1g", paramLabel = "SIZE",
      description = "-Xmx of the broker's and the aggregator's JVMs (default: ${DEFAULT-VALUE}).")
  String heap;

  @Option(names = "--find-max",
      description = "When the goal is not met, halve --hosts and try again until it is (down to "
          + MIN_HOSTS + " hosts).")
  boolean findMax;

  @Spec
  CommandSpec command;

  @Override
  public Integer call() {
    AggregatorBenchSetup setup = validated();
    PrintWriter out = command.commandLine().getOut();
    PrintWriter err = command.commandLine().getErr();
    try (ChildProcesses children = new ChildProcesses()) {
      Thread hook = new Thread(children::close, "bench-stop-children");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        while (true) {
          AggregatorBenchReport report = new AggregatorBench(setup, heap, err).run(children);
          AggregatorBenchTable.print(report, out);
          out.flush();
          boolean met = AggregatorBenchTable.met(report);
          if (met || !findMax || setup.hosts() / 2 < MIN_HOSTS) {
            return met ? 0 : 1;
          }
          setup = new AggregatorBenchSetup(setup.hosts() / 2, setup.vms(), setup.seconds(),
              setup.runsPerSecond(), setup.warmupSeconds());
          out.println();
          err.println("bench aggregator: goal NOT met; trying " + setup.hosts() + " hosts");
        }
      } catch (TrialException e) {
        err.println("kvmmp bench aggregator: " + e.getMessage());
        return 1;
      } finally {
        Runtime.getRuntime().removeShutdownHook(hook);
      }
    }
  }

  private AggregatorBenchSetup validated() {
    if (!heap.matches("[1-9][0-9]*[kKmMgG]?")) {
      throw new ParameterException(command.commandLine(), "--heap must be a size as -Xmx takes "
          + "it (e.g. 512m, 2g), got '" + heap + "'");
    }
    try {
      return new AggregatorBenchSetup(hosts, vms, seconds, runsPerSecond, warmup);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(command.commandLine(), "--" + e.getMessage()
          .replace("runsPerSecond", "runs-per-second")
          .replace("warmupSeconds", "warmup"));
    }
  }
}

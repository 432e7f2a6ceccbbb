package dev.kvmmp.cli.bench;

import dev.kvmmp.cli.bench.SchedulerBenchReport.Setup;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code kvmmp bench scheduler}: the coordinator's scheduling decision latency and heap with
 * thousands of simulated workers on real gRPC streams.
 */
@Command(name = "scheduler", mixinStandardHelpOptions = true,
    description = {"Measure the coordinator's scheduling: a coordinator in a JVM of its own, "
        + "--workers simulated workers on real gRPC streams over loopback, one experiment of "
        + "about --runs-per-worker runs per worker across them; prints the decision latency "
        + "(p50/p99/max), runs/s, the coordinator's CPU time and heap. Needs a JDK (jcmd, jstat).",
        "Exit status: 0 when every run succeeded, 1 when not (or the bench failed), 2 on bad "
            + "arguments."})
final class SchedulerBenchCommand implements Callable<Integer> {

  @Option(names = "--workers", defaultValue = "10000", paramLabel = "N",
      description = "Simulated workers, half with 2 vCPUs, half with 4 (default: "
          + "${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--channels", defaultValue = "8", paramLabel = "N",
      description = "gRPC connections carrying the workers' streams (default: ${DEFAULT-VALUE}).")
  int channels;

  @Option(names = "--runs-per-worker", defaultValue = "3", paramLabel = "N",
      description = "Runs of the experiment per worker, about (default: ${DEFAULT-VALUE}).")
  int runsPerWorker;

  @Option(names = "--run-millis", defaultValue = "50", paramLabel = "MS",
      description = "How long a simulated worker takes per run (default: ${DEFAULT-VALUE}).")
  long runMillis;

  @Option(names = "--coordinator-heap", defaultValue = "512m", paramLabel = "SIZE",
      description = "The coordinator JVM's -Xmx (default: ${DEFAULT-VALUE}).")
  String coordinatorHeap;

  @Option(names = "--coordinator-option", paramLabel = "OPTION",
      description = "An option passed to the coordinator, e.g. --coordinator-option=--kafka "
          + "--coordinator-option=127.0.0.1:9092; repeatable.")
  List<String> coordinatorOptions = new ArrayList<>();

  @Option(names = "--timeout", defaultValue = "PT30M", paramLabel = "DURATION",
      description = "Limit of the registration and of the experiment, each, ISO-8601; an "
          + "experiment still running then is cancelled and reported (default: "
          + "${DEFAULT-VALUE}).")
  Duration timeout;

  @Spec
  CommandSpec command;

  @Override
  public Integer call() throws InterruptedException {
    Setup setup = new Setup(workers, channels, runMillis, coordinatorHeap, coordinatorOptions,
        validated());
    PrintWriter out = command.commandLine().getOut();
    PrintWriter err = command.commandLine().getErr();
    try (ChildProcesses children = new ChildProcesses()) {
      Thread hook = new Thread(children::close, "bench-stop-children");
      Runtime.getRuntime().addShutdownHook(hook);
      SchedulerBenchReport report;
      try {
        report = new SchedulerBench(setup, timeout, err).run(children);
      } catch (TrialException e) {
        err.println("kvmmp bench scheduler: " + e.getMessage());
        return 1;
      } finally {
        Runtime.getRuntime().removeShutdownHook(hook);
      }
      SchedulerBenchTable.print(report, out);
      out.flush();
      boolean allSucceeded = report.outcome().finished()
          && report.outcome().succeeded() == setup.experiment().totalRuns()
          && report.outcome().lostWorkers() == 0;
      return allSucceeded ? 0 : 1;
    }
  }

  private SchedulerExperiment validated() {
    range("--workers", workers, 2, 100_000);
    range("--channels", channels, 1, 1_024);
    range("--runs-per-worker", runsPerWorker, 1, 1_000);
    range("--run-millis", runMillis, 0, 600_000);
    if (!coordinatorHeap.matches("[1-9][0-9]*[kKmMgG]?")) {
      throw new ParameterException(command.commandLine(), "--coordinator-heap must be a size as"
          + " -Xmx takes it (e.g. 512m, 2g), got '" + coordinatorHeap + "'");
    }
    if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofHours(24)) > 0) {
      throw new ParameterException(command.commandLine(),
          "--timeout must be above 0 and at most 24 h, got " + timeout);
    }
    try {
      return SchedulerExperiment.forWorkers(workers, runsPerWorker);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(command.commandLine(), e.getMessage());
    }
  }

  private void range(String option, long value, long min, long max) {
    if (value < min || value > max) {
      throw new ParameterException(command.commandLine(), option + " must be between " + min
          + " and " + max + ", got " + value);
    }
  }
}

package dev.kvmmp.cli;

import dev.kvmmp.cli.local.LocalParts;
import dev.kvmmp.cli.local.LocalStartException;
import dev.kvmmp.proto.v1.Experiment;
import dev.kvmmp.proto.v1.ExperimentSpec;
import dev.kvmmp.proto.v1.Run;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  private static final Duration REPORTS_WAIT = Duration.ofSeconds(30);

  @Parameters(paramLabel = "FILE", arity = "0..1",
      description = "Experiment spec to run, e.g. seeds/quickstart/tcp_rr.yaml")
  Path file;

  @Mixin
  LocalStackOptions local;

  @Option(names = "--workers", defaultValue = "1",
      description = "Local guest-workers to start, 1-16 (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--kafka", paramLabel = "HOST:PORT",
      description = "Use this Kafka cluster instead of starting a broker.")
  String kafka;

  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = command.commandLine().getOut();
    PrintWriter err = command.commandLine().getErr();
    List<String> problems = new ArrayList<>(local.problems());
    if (workers < 1 || workers > 16) {
      problems.add("--workers " + workers + " must be 1-16");
    }
    if (!problems.isEmpty()) {
      problems.forEach(problem -> err.println("kvmmp local: " + problem));
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
    LocalStack stack = null;
    try {
      stack = LocalStack.start(local.settings(workers, Optional.ofNullable(kafka)), parts);
      if (spec != null) {
        int status = SubmitCommand.submit(stack.client(), spec, true, out);
        // The newest experiment: the one just submitted.
        Experiment ended = stack.client().list(1).get(0);
        awaitRunReports(stack, ended.getId(), out);
        LocalComparison.print(stack.kafkaServers(), ended, out);
        return status;
      }
      parts.line("ready. In another terminal: ./kvmmp submit FILE --wait --coordinator "
          + stack.coordinatorAddress() + "   (Ctrl-C here stops everything)");
      new CountDownLatch(1).await();
      return ExitCodes.OK;
    } catch (LocalStartException e) {
      err.println("kvmmp local: " + e.getMessage());
      err.flush();
      return ExitCodes.UNAVAILABLE;
    } finally {
      if (stack != null) {
        stack.close();
      }
      parts.close();
      Runtime.getRuntime().removeShutdownHook(cleanup);
    }
  }

  /**
   * Before stopping the aggregator: its reports of the experiment's runs, which trail the
   * coordinator's word that they succeeded (stopped earlier, the last would wait for the next
   * session).
   */
  private static void awaitRunReports(LocalStack stack, String experimentId, PrintWriter out)
      throws InterruptedException {
    List<Run> runs = stack.client().get(experimentId).getRunsList();
    int wanted = RunReports.succeeded(runs).size();
    int reported = RunReports.await(stack.kafkaServers(), runs, REPORTS_WAIT).size();
    if (reported < wanted) {
      out.printf("the aggregator reported %d of %d runs within %d s; it reports the rest when "
          + "it runs next%n", reported, wanted, REPORTS_WAIT.toSeconds());
      out.flush();
    }
  }
}

package dev.kvmmp.cli;

import dev.kvmmp.cli.output.ExperimentReport;
import dev.kvmmp.proto.v1.Experiment;
import dev.kvmmp.proto.v1.ExperimentSpec;
import dev.kvmmp.proto.v1.GetExperimentResponse;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Checks a spec file, submits it, and optionally follows the experiment to its end. */
@Command(name = "submit", description = "Submit an experiment spec (YAML).")
final class SubmitCommand implements Callable<Integer> {

  @Parameters(paramLabel = "FILE", description = "Experiment spec, e.g. seeds/quickstart/tcp_rr.yaml")
  Path file;

  @Option(names = "--wait", description = "Follow the experiment and print its runs at the end.")
  boolean await;

  @Mixin
  CoordinatorOptions coordinator;

  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Override
  public Integer call() throws Exception {
    Optional<ExperimentSpec> spec = SpecFiles.read(file, command.commandLine().getErr());
    if (spec.isEmpty()) {
      return ExitCodes.BAD_INPUT;
    }
    ManagedChannel channel = coordinator.open();
    try {
      return submit(new CoordinatorClient(channel), spec.get(), await, command.commandLine().getOut());
    } finally {
      channel.shutdownNow();
    }
  }

  /** Submits, and with {@code await} follows the experiment and prints its runs. */
  static int submit(CoordinatorClient client, ExperimentSpec spec, boolean await,
      PrintWriter out) {
    Experiment experiment = client.submit(spec);
    out.printf("submitted experiment %s '%s': %d runs%n", experiment.getId(),
        experiment.getSpec().getName(), experiment.getRunCounts().getTotal());
    out.flush();
    if (!await) {
      return ExitCodes.OK;
    }
    GetExperimentResponse done = new ExperimentFollower(client, System.err,
        System.console() != null).follow(experiment.getId());
    ExperimentReport.print(done, out);
    out.flush();
    return ExperimentFollower.succeeded(done.getExperiment())
        ? ExitCodes.OK : ExitCodes.RUNS_FAILED;
  }
}

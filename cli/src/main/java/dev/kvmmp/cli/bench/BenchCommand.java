package dev.kvmmp.cli.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code kvmmp bench}: benchmarks of kvmmp itself rather than of a guest. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks of kvmmp itself.",
    subcommands = {FidelityCommand.class, AttributionOverheadCommand.class,
        IpiHaltCommand.class, ProbeBenchCommand.class, SchedulerBenchCommand.class,
        AggregatorBenchCommand.class})
public final class BenchCommand implements Callable<Integer> {

  @Spec
  CommandSpec command;

  @Override
  public Integer call() {
    throw new ParameterException(command.commandLine(),
        "missing subcommand; try `kvmmp bench fidelity`");
  }
}

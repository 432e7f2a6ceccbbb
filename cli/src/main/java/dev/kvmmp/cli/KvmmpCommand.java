package dev.kvmmp.cli;

import dev.kvmmp.cli.bench.BenchCommand;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.ScopeType;

/** The kvmmp command. Its --help and --version are every subcommand's too. */
@Command(name = "kvmmp", mixinStandardHelpOptions = true, version = "kvmmp 0.1.0",
    scope = ScopeType.INHERIT,
    description = "Message-passing load tests in KVM virtual machines.",
    subcommands = {
        LocalCommand.class,
        ReproduceCommand.class,
        SubmitCommand.class,
        ValidateCommand.class,
        ExperimentCommands.Watch.class,
        ExperimentCommands.Get.class,
        ExperimentCommands.ListExperiments.class,
        ExperimentCommands.Cancel.class,
        ExperimentCommands.Workers.class,
        CompareCommand.class,
        ProbeCommand.class,
        BenchCommand.class,
        HelpCommand.class,
    })
public final class KvmmpCommand {

  /** The command line as the CLI runs it, also used by tests to take the same code path. */
  public static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new KvmmpCommand());
    commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof StatusRuntimeException sre) {
        Status status = sre.getStatus();
        cmd.getErr().println("kvmmp: " + describe(status, cmd));
        return status.getCode() == Status.Code.UNAVAILABLE
            || status.getCode() == Status.Code.DEADLINE_EXCEEDED
            || status.getCode() == Status.Code.INTERNAL
            ? ExitCodes.UNAVAILABLE : ExitCodes.BAD_INPUT;
      }
      throw e;
    });
    return commandLine;
  }

  private static String describe(Status status, CommandLine cmd) {
    String description = status.getDescription() == null ? "" : status.getDescription();
    return switch (status.getCode()) {
      case UNAVAILABLE -> "cannot reach the coordinator (" + description + "); is it running? "
          + "Start one with `kvmmp local`, or pass --coordinator HOST:PORT";
      case INVALID_ARGUMENT -> "the coordinator refused the spec:\n" + description;
      default -> status.getCode() + ": " + description;
    };
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }
}

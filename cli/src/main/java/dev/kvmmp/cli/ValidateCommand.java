package dev.kvmmp.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Checks spec files without a coordinator: every problem of every file, with its location. */
@Command(name = "validate", description = "Check experiment spec files without submitting them.")
final class ValidateCommand implements Callable<Integer> {

  @Parameters(paramLabel = "FILE", arity = "1..*", description = "Experiment spec files.")
  List<Path> files;

  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Override
  public Integer call() throws Exception {
    int exit = ExitCodes.OK;
    for (Path file : files) {
      if (SpecFiles.read(file, command.commandLine().getErr()).isPresent()) {
        command.commandLine().getOut().println(file + ": ok");
      } else {
        exit = ExitCodes.BAD_INPUT;
      }
    }
    return exit;
  }
}

package dev.kvmmp.cli;

import dev.kvmmp.cli.spec.SpecFileException;
import dev.kvmmp.cli.spec.SpecFileReader;
import dev.kvmmp.proto.v1.ExperimentSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;

/** Reads a spec file for a command, reporting every problem on the command's error stream. */
final class SpecFiles {

  private SpecFiles() {}

  /** @return the spec, or empty after the problems were printed */
  static Optional<ExperimentSpec> read(Path file, PrintWriter err) {
    try {
      return Optional.of(new SpecFileReader().read(file));
    } catch (SpecFileException e) {
      err.println(e.getMessage());
    } catch (IOException e) {
      err.println("kvmmp: " + e.getMessage());
    }
    err.flush();
    return Optional.empty();
  }
}

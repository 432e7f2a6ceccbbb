package dev.kvmmp.cli.spec;

import java.util.List;

/**
 * A spec file that cannot become a valid experiment spec. Each problem reads
 * {@code file:line:column: path: message}, so that editors and terminals can jump to it.
 */
public final class SpecFileException extends Exception {

  private final List<String> problems;

  /** @param problems at least one, in the order to show them */
  public SpecFileException(List<String> problems) {
    super(String.join("\n", problems));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a SpecFileException needs at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, one line each, in file order. */
  public List<String> problems() {
    return problems;
  }
}

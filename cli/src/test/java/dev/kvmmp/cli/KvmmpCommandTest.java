package dev.kvmmp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** Help reaches every command, the way a user asks for it. */
class KvmmpCommandTest {

  @ParameterizedTest
  @ValueSource(strings = {"local", "reproduce", "submit", "validate", "watch", "get", "list",
      "cancel", "workers", "compare", "probe", "bench"})
  void everyCommandAnswersHelpWithItsUsageAndStartsNothing(String command) {
    assertThat(run(command, "--help")).startsWith("Usage: kvmmp " + command + " ");
    assertThat(run("help", command)).startsWith("Usage: kvmmp " + command + " ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"reproduce", "bench"})
  void everyCommandAnswersVersion(String command) {
    assertThat(run(command, "--version")).isEqualTo("kvmmp 0.1.0\n");
  }

  private static String run(String... args) {
    StringWriter out = new StringWriter();
    CommandLine commandLine = KvmmpCommand.commandLine().setOut(new PrintWriter(out, true));

    int exit = commandLine.execute(args);

    assertThat(exit).as(String.join(" ", args)).isZero();
    return out.toString();
  }
}

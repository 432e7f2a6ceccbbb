package dev.kvmmp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProbeCommandTest {

  @Test
  void refusesAnIntervalOfZeroNamingTheOptionAndTheLimits() {
    StringWriter err = new StringWriter();

    int exit = KvmmpCommand.commandLine()
        .setOut(new PrintWriter(new StringWriter(), true))
        .setErr(new PrintWriter(err, true))
        .execute("probe", "--interval", "PT0S");

    assertThat(exit).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).satisfiesAnyOf(
        e -> assertThat(e).contains("kvmmp probe: --interval PT0S must be above 0 and at most 1 h"),
        e -> assertThat(e).startsWith("kvmmp probe: needs root"));
  }

  @Test
  void runsTheDaemonWhenAskedForMetricsAndRefusesAPortOutOfRange() {
    StringWriter err = new StringWriter();

    int exit = KvmmpCommand.commandLine()
        .setOut(new PrintWriter(new StringWriter(), true))
        .setErr(new PrintWriter(err, true))
        .execute("probe", "--metrics-port", "70000");

    assertThat(exit).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).satisfiesAnyOf(
        e -> assertThat(e).contains("kvmmp probe: --metrics-port 70000: must be 0..65535"),
        e -> assertThat(e).startsWith("kvmmp probe: needs root"));
  }
}

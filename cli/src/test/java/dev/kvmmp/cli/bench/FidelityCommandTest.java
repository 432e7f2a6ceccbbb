package dev.kvmmp.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvmmp.cli.KvmmpCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class FidelityCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int kvmmp(String... args) {
    return KvmmpCommand.commandLine()
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute(args);
  }

  @Test
  void anUnknownPairIsRefusedNamingTheKnownOnes() {
    int exit = kvmmp("bench", "fidelity", "--pairs", "tcp_rr,udp_rr");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).startsWith(
        "--pairs: unknown pair 'udp_rr' (known: tcp_rr, pipe, condvar)");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void zeroRepetitionsIsRefusedNamingTheBound() {
    int exit = kvmmp("bench", "fidelity", "--repetitions", "0");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).startsWith("--repetitions must be between 1 and 1000, got 0");
  }

  @Test
  void benchAloneAsksForASubcommand() {
    assertThat(kvmmp("bench")).isEqualTo(2);
    assertThat(err.toString()).startsWith("missing subcommand; try `kvmmp bench fidelity`");
  }

  @Test
  void aCsvPathInAMissingDirectoryIsRefusedBeforeAnyTrial() {
    int exit = kvmmp("bench", "fidelity", "--csv", "no/such/dir/out.csv");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).startsWith("--csv: cannot write no/such/dir/out.csv (")
        .doesNotContain("fidelity: trial");
  }
}

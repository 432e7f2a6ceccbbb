package dev.kvmmp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, as a newcomer runs it (on a free port). */
class LocalCommandIT {

  @TempDir
  Path state;

  @Test
  void runsTheQuickstartExperimentAndPrintsEveryRun() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int exit = KvmmpCommand.commandLine()
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute("local", "../seeds/quickstart/tcp_rr.yaml", "--port", "0",
            "--state-dir", state.toString());

    assertThat(exit).as("stderr: %s", err).isEqualTo(ExitCodes.OK);
    assertThat(out.toString())
        .containsPattern("kvmmp local: worker local-1 connected: \\d+ vCPUs")
        .contains("'quickstart-tcp-rr': succeeded — 3 runs: 3 succeeded")
        .containsPattern("(?m)^e-\\w+-r0002 +default +tcp_rr +unpinned +2 +succeeded ");
    assertThat(state.resolve("logs/local-1.log")).exists();
  }
}

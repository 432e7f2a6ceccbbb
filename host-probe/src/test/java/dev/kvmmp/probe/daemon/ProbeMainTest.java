package dev.kvmmp.probe.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ProbeMainTest {

  @TempDir
  Path root;

  @Test
  void refusesToStartAsAnotherUserThanRootSayingWhy() throws Exception {
    StringWriter err = new StringWriter();

    int status = ProbeMain.serve(ProbeConfig.defaults(root, root.resolve("state")), 1000,
        new PrintWriter(err));

    assertThat(status).isEqualTo(ProbeMain.BAD_INPUT);
    assertThat(err.toString()).startsWith("kvmmp probe: needs root, and runs as uid 1000: ")
        .contains("run it as root");
    assertThat(root.resolve("state")).as("nothing started, not even the journal's directory")
        .doesNotExist();
  }

  @Test
  void rootMayStart() {
    assertThat(ProbeMain.refusal(0)).isEmpty();
  }

  @Test
  void refusesABadIntervalNamingTheOption() {
    StringWriter err = new StringWriter();
    CommandLine commandLine = new CommandLine(new ProbeMain()).setErr(new PrintWriter(err));

    int status = commandLine.execute("--interval", "PT0S", "--root", root.toString());

    assertThat(status).isEqualTo(ProbeMain.BAD_INPUT);
    assertThat(err.toString()).contains("--interval PT0S: must be above 0 and at most 1 h");
  }
}

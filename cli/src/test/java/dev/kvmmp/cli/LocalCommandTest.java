package dev.kvmmp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code kvmmp local} refuses before it starts anything. */
class LocalCommandTest {

  @TempDir
  Path state;

  @Test
  void refusesATakenKafkaPortNamingItAndTheWaysOut() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();

      int exit = KvmmpCommand.commandLine()
          .setOut(new PrintWriter(out, true))
          .setErr(new PrintWriter(err, true))
          .execute("local", "--port", "0", "--state-dir", state.toString(),
              "--kafka-port", Integer.toString(taken.getLocalPort()));

      assertThat(exit).isEqualTo(ExitCodes.UNAVAILABLE);
      assertThat(err.toString())
          .startsWith("kvmmp local: --kafka-port: 127.0.0.1:" + taken.getLocalPort()
              + " is taken (bind: ")
          .contains("pass --kafka-port with a free port")
          .contains("--kafka HOST:PORT");
      assertThat(out.toString()).doesNotContain("coordinator on", "stopped");
      assertThat(state.resolve("kafka")).doesNotExist();
    }
  }

  @Test
  void refusesAKafkaPortOutOfRange() {
    StringWriter err = new StringWriter();

    int exit = KvmmpCommand.commandLine()
        .setErr(new PrintWriter(err, true))
        .execute("local", "--kafka-port", "65536", "--state-dir", state.toString());

    assertThat(exit).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString()).contains("--kafka-port 65536 must be 1-65535");
  }
}

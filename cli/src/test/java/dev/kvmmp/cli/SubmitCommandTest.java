package dev.kvmmp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class SubmitCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int kvmmp(String... args) {
    return KvmmpCommand.commandLine()
        .setOut(new PrintWriter(out, true))
        .setErr(new PrintWriter(err, true))
        .execute(args);
  }

  /** A port nothing listens on: any attempt to reach a coordinator there fails. */
  private static String deadAddress() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return "127.0.0.1:" + socket.getLocalPort();
    }
  }

  @Test
  void refusesABadSpecBeforeContactingTheCoordinator() throws Exception {
    String file = "src/test/resources/specs/request-bytes-zero.yaml";

    int exit = kvmmp("submit", file, "--wait", "--coordinator", deadAddress());

    // Had it tried the dead coordinator, the exit would be UNAVAILABLE (3).
    assertThat(exit).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString().strip()).isEqualTo(
        file + ":4:22: workloads[0].tcp_rr.request_bytes: 0 is below the minimum 1");
    assertThat(out.toString()).isEmpty();
  }

  @Test
  void aMissingFileIsBadInputNamingThePath() throws Exception {
    int exit = kvmmp("submit", "no/such/spec.yaml", "--coordinator", deadAddress());

    assertThat(exit).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(err.toString().strip())
        .isEqualTo("kvmmp: cannot read spec file no/such/spec.yaml: no such file");
  }

  @Test
  void anUnreachableCoordinatorSaysWhatToDo() throws Exception {
    String address = deadAddress();

    int exit = kvmmp("submit", "../seeds/quickstart/tcp_rr.yaml", "--coordinator", address);

    assertThat(exit).isEqualTo(ExitCodes.UNAVAILABLE);
    assertThat(err.toString()).startsWith("kvmmp: cannot reach the coordinator (")
        .contains("Start one with `kvmmp local`, or pass --coordinator HOST:PORT");
  }

  @Test
  void everySeedExperimentIsValid() throws Exception {
    List<String> seeds;
    try (Stream<Path> files = Files.walk(Path.of("../seeds"))) {
      seeds = files.filter(f -> f.toString().endsWith(".yaml")).map(Path::toString).toList();
    }
    List<String> args = new ArrayList<>(List.of("validate"));
    args.addAll(seeds);

    int exit = kvmmp(args.toArray(String[]::new));

    assertThat(exit).as("stderr: %s", err).isEqualTo(ExitCodes.OK);
    assertThat(seeds).hasSizeGreaterThanOrEqualTo(2);
  }

  @Test
  void validateReportsEveryFile() {
    int exit = kvmmp("validate", "../seeds/quickstart/tcp_rr.yaml",
        "src/test/resources/specs/duration-over-hour.yaml");

    assertThat(exit).isEqualTo(ExitCodes.BAD_INPUT);
    assertThat(out.toString()).isEqualTo("../seeds/quickstart/tcp_rr.yaml: ok\n");
    assertThat(err.toString()).contains(
        "duration-over-hour.yaml:4:11: duration: 2h is above the maximum 1h");
  }
}

package dev.kvmmp.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvmmp.proto.v1.GuestFacts;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class GuestWorkerMainTest {

  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return new CommandLine(new GuestWorkerMain()).setErr(new PrintWriter(err)).execute(args);
  }

  @Test
  void refusesABlankVmIdentityNamingTheOption() {
    assertThat(run("--vm-identity", "  ")).isEqualTo(2);
    assertThat(err.toString()).contains("--vm-identity: '  ' is blank");
  }

  @Test
  void refusesAVmIdentityOverTheLimitSayingHowLongItIs() {
    String tooLong = "v".repeat(GuestWorkerMain.VM_IDENTITY_LIMIT + 1);

    assertThat(run("--vm-identity", tooLong)).isEqualTo(2);
    assertThat(err.toString()).contains("--vm-identity: '" + tooLong + "' is 129 characters long "
        + "(limit 128)");
  }

  @Test
  void aVmIdentityGivenReplacesTheOneTheGuestReads() {
    GuestFacts read = GuestFacts.newBuilder().setHostname("vm-one").setVcpus(2)
        .setVmIdentity("0123456789abcdef0123456789abcdef").setVmIdentitySource("machine-id")
        .build();

    GuestFacts posed = GuestWorkerMain.withVmIdentity(() -> read,
        "6f1c0d2e-0000-4000-8000-000000000001").get();

    assertThat(posed.getVmIdentity()).isEqualTo("6f1c0d2e-0000-4000-8000-000000000001");
    assertThat(posed.getVmIdentitySource()).isEqualTo("option");
    assertThat(posed.getVcpus()).isEqualTo(2);
  }
}

package dev.kvmmp.probe.microvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loaded guest bytes are what its assembly source gives. */
class IpiHaltGuestTest {

  @TempDir
  Path dir;

  @Test
  void loadedBytesAreTheAssembledSource() throws Exception {
    assumeTrue(onPath("as") && onPath("objcopy"), "needs GNU as and objcopy (binutils)");
    Path source = dir.resolve(IpiHaltGuest.SOURCE);
    try (InputStream in = IpiHaltGuest.class.getResourceAsStream(IpiHaltGuest.SOURCE)) {
      Files.copy(in, source);
    }
    run("as", "--32", "-o", "guest.o", source.toString());
    run("objcopy", "-O", "binary", "-j", ".text", "guest.o", "guest.bin");

    assertThat(IpiHaltGuest.image()).isEqualTo(Files.readAllBytes(dir.resolve("guest.bin")));
  }

  @Test
  void entryPointsAndHandlersStartWhereTheHostJumps() {
    byte[] image = IpiHaltGuest.image();
    byte call = (byte) 0xE8;
    byte iret = (byte) 0xCF;
    assertThat(image[IpiHaltGuest.A_ENTRY - IpiHaltGuest.IMAGE]).isEqualTo(call);
    assertThat(image[IpiHaltGuest.B_ENTRY - IpiHaltGuest.IMAGE]).isEqualTo(call);
    assertThat(image[IpiHaltGuest.B_HANDLER - IpiHaltGuest.IMAGE]).isEqualTo(call);
    assertThat(image[IpiHaltGuest.IGNORE_IRQ - IpiHaltGuest.IMAGE]).isEqualTo(iret);
  }

  private void run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).directory(dir.toFile())
        .redirectErrorStream(true).start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("%s finished", List.of(command))
        .isTrue();
    assertThat(process.exitValue()).as("%s: %s", List.of(command),
        new String(process.getInputStream().readAllBytes())).isZero();
  }

  private static boolean onPath(String tool) {
    for (String dir : System.getenv("PATH").split(":")) {
      if (Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }
}

package dev.kvmmp.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecutablesTest {

  @TempDir
  Path dir;

  @Test
  void findsAnExecutableInALaterDirectory() throws Exception {
    Path bin = Files.createDirectory(dir.resolve("bin"));
    Path tool = Files.createFile(bin.resolve("sockperf"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));

    Executables executables = new Executables(dir.resolve("empty") + File.pathSeparator + bin);

    assertThat(executables.find("sockperf")).contains(tool);
    assertThat(executables.missing("sockperf", "sockperf")).isEmpty();
  }

  @Test
  void aMissingBinaryNamesItsDebianPackage() {
    Executables executables = new Executables(dir.toString());

    assertThat(executables.missing("perf", "linux-perf")).contains(
        "perf not found on PATH; install the Debian package linux-perf "
            + "(apt-get install linux-perf)");
  }
}

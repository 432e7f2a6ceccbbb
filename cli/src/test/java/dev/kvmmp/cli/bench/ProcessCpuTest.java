package dev.kvmmp.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against /proc/PID/stat lines as the kernel writes them (resources/bench/proc-stat-*.txt). */
class ProcessCpuTest {

  private static Path fixture(String name) throws URISyntaxException {
    return Path.of(ProcessCpuTest.class.getResource("/bench/" + name).toURI());
  }

  @Test
  void addsUserAndSystemTicks() throws Exception {
    // A JVM's line, captured on the dev machine: utime 523, stime 91.
    assertThat(ProcessCpu.nanos(fixture("proc-stat-java.txt")))
        .isEqualTo((523 + 91) * ProcessCpu.NANOS_PER_TICK);
  }

  @Test
  void countsFieldsAfterACommWithSpacesAndParentheses() throws Exception {
    assertThat(ProcessCpu.nanos(fixture("proc-stat-odd-comm.txt")))
        .isEqualTo(10 * ProcessCpu.NANOS_PER_TICK);
  }

  @Test
  void namesTheFileOfALineCutShort(@TempDir Path dir) throws IOException {
    Path stat = Files.writeString(dir.resolve("stat"), "1 (init) S 0 1 1 0");

    assertThatThrownBy(() -> ProcessCpu.nanos(stat))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(stat.toString())
        .hasMessageContaining("expected at least 15");
  }

  @Test
  void thisProcessHasUsedSomeCpu() throws IOException {
    assertThat(ProcessCpu.selfNanos()).isPositive();
  }
}

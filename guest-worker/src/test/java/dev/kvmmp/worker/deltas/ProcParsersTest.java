package dev.kvmmp.worker.deltas;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** /proc/interrupts and /proc/stat as captured on this machine (a Firecracker KVM guest). */
class ProcParsersTest {

  private static Path fixture(String name) throws URISyntaxException {
    return Path.of(ProcParsersTest.class.getResource("/proc/firecracker-6.18/" + name).toURI());
  }

  @Test
  void readsTimerAndIpiRowsPerCpu() throws Exception {
    InterruptCounts counts = InterruptCounts.read(fixture("interrupts"));

    assertThat(counts.count("LOC", 0)).isEqualTo(124942);
    assertThat(counts.count("LOC", 1)).isEqualTo(125459);
    assertThat(counts.count("RES", 1)).isEqualTo(40735);
    assertThat(counts.count("CAL", 0)).isEqualTo(2033858);
    assertThat(counts.count("LOC", 7)).as("a CPU that is not there").isZero();
    assertThat(counts.hasRow("ERR")).as("a total, not per CPU").isFalse();
  }

  @Test
  void followsTheHeaderWhenCpusAreOffline() {
    InterruptCounts counts = InterruptCounts.parse(java.util.List.of(
        "           CPU0       CPU2",
        "LOC:         10         30   Local timer interrupts"));

    assertThat(counts.count("LOC", 2)).isEqualTo(30);
    assertThat(counts.count("LOC", 1)).isZero();
  }

  @Test
  void readsStealPerCpuInNanoseconds() throws Exception {
    StealTime steal = StealTime.read(fixture("stat"));

    assertThat(steal.nanos(0)).isEqualTo(12 * 10_000_000L);
    assertThat(steal.nanos(1)).isEqualTo(19 * 10_000_000L);
  }
}

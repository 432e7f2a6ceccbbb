package dev.kvmmp.probe.microvm;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The binary stats layout, read from a vCPU stats fd captured on Linux 6.18 (x86, 47 stats). */
class VcpuStatsTest {

  @Test
  void readsSingleValueStatsByNameAndSkipsHistograms() throws Exception {
    int fd = Libc.open(capture().toString(), Libc.O_RDONLY);
    try (VcpuStats stats = VcpuStats.open(fd, "captured vcpu 0")) {
      assertThat(stats.names()).contains("halt_exits", "halt_attempted_poll",
          "halt_successful_poll", "halt_poll_success_ns", "halt_poll_fail_ns", "halt_wait_ns",
          "halt_wakeup", "exits", "insn_emulation", "blocking");
      assertThat(stats.names()).doesNotContain("halt_poll_success_hist", "halt_wait_hist");
      Map<String, Long> values = stats.read();
      assertThat(values.keySet()).isEqualTo(stats.names());
      // A vCPU that never ran: it has not halted, nor exited.
      assertThat(values.get("halt_exits")).isZero();
      assertThat(values.get("exits")).isZero();
    }
  }

  private static Path capture() throws URISyntaxException {
    return Path.of(VcpuStatsTest.class.getResource("/microvm/vcpu-stats-fd-6.18.bin").toURI());
  }
}

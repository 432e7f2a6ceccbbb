package dev.kvmmp.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SockperfOutputTest {

  private static final Path FIXTURES = Path.of("src/test/resources/bench");

  @Test
  void readsRoundTripPercentilesAndMeanThroughColourCodes() throws Exception {
    Figures figures = SockperfOutput.parse(FIXTURES.resolve("sockperf-cross-cpu.txt"));

    assertThat(figures.p50Us()).hasValue(69.707);
    assertThat(figures.p99Us()).hasValue(100.883);
    assertThat(figures.meanUs()).hasValue(70.086);
  }

  @Test
  void readsASameCpuRun() throws Exception {
    Figures figures = SockperfOutput.parse(FIXTURES.resolve("sockperf-same-cpu.txt"));

    assertThat(figures.p50Us()).hasValue(4.391);
    assertThat(figures.p99Us()).hasValue(4.944);
  }

  @Test
  void aRefusedConnectionIsAnErrorQuotingSockperf() {
    // sockperf exits 0 here, so the parser is what notices.
    assertThatThrownBy(() -> SockperfOutput.parse(
        FIXTURES.resolve("sockperf-connection-refused.txt")))
        .isInstanceOf(TrialException.class)
        .hasMessageContaining("no round-trip summary")
        .hasMessageContaining("Connection refused");
  }

  @Test
  void refusesOneWayFiguresFromARunWithoutFullRtt() {
    String oneWay = "sockperf: Summary: Latency is 97.791 usec\n"
        + "sockperf: ---> percentile 50.000 =   20.824\n";

    assertThatThrownBy(() -> SockperfOutput.parse(oneWay))
        .isInstanceOf(TrialException.class)
        .hasMessageContaining("--full-rtt");
  }
}

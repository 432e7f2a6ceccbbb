package dev.kvmmp.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PerfBenchPipeOutputTest {

  private static final Path FIXTURES = Path.of("src/test/resources/bench");

  @Test
  void readsOperationsTotalAndTimePerRoundTrip() throws Exception {
    PerfBenchPipeOutput output =
        PerfBenchPipeOutput.parse(FIXTURES.resolve("perf-bench-pipe-cross-cpu.txt"));

    assertThat(output).isEqualTo(new PerfBenchPipeOutput(100_000, 3.451, 34.512350));
  }

  @Test
  void readsASameCpuRun() throws Exception {
    assertThat(PerfBenchPipeOutput.parse(FIXTURES.resolve("perf-bench-pipe-same-cpu.txt"))
        .usecsPerOp()).isEqualTo(1.806920);
  }

  @Test
  void outputWithoutTheSummaryIsAnErrorQuotingIt() {
    assertThatThrownBy(() -> PerfBenchPipeOutput.parse("perf: 'bench' is not a perf-command"))
        .isInstanceOf(TrialException.class)
        .hasMessageContaining("printed no operations")
        .hasMessageContaining("is not a perf-command");
  }
}

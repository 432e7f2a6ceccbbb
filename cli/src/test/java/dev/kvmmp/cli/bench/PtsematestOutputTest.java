package dev.kvmmp.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PtsematestOutputTest {

  private static final Path FIXTURES = Path.of("src/test/resources/bench");

  @TempDir
  Path dir;

  @Test
  void readsTheFirstPairsOneWayFiguresWithTheirDecimals() throws Exception {
    PtsematestOutput output = PtsematestOutput.parse(FIXTURES.resolve("ptsematest-same-cpu.json"));

    assertThat(output).isEqualTo(new PtsematestOutput(0, 1.34, 4437, 21447));
  }

  @Test
  void readsACrossCpuRun() throws Exception {
    assertThat(PtsematestOutput.parse(FIXTURES.resolve("ptsematest-cross-cpu.json")).avgUs())
        .isEqualTo(0.93);
  }

  @Test
  void aResultWithoutSamplesIsAnError() throws Exception {
    Path json = dir.resolve("empty.json");
    Files.writeString(json, "{\"thread\": {\"0\": {\"sender\": {\"samples\": 0},"
        + " \"receiver\": {\"min\": 0, \"avg\": 0, \"max\": 0}}}}");

    assertThatThrownBy(() -> PtsematestOutput.parse(json))
        .isInstanceOf(TrialException.class)
        .hasMessageContaining("took no samples");
  }

  @Test
  void anEmptyFileIsAnErrorNamingIt() throws Exception {
    Path json = Files.createFile(dir.resolve("never-written.json"));

    assertThatThrownBy(() -> PtsematestOutput.parse(json))
        .isInstanceOf(TrialException.class)
        .hasMessageContaining("never-written.json");
  }
}

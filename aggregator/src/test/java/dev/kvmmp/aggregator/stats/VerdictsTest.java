package dev.kvmmp.aggregator.stats;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VerdictsTest {

  @ParameterizedTest(name = "{0} [{1}, {2}] -> {3}")
  @CsvSource(delimiter = '|', value = {
      // Below 1 is faster, by 1 - ratio, the interval read the same way.
      "0.62  | 0.58  | 0.66  | B faster by 38% (CI 34-42%)",
      "1.12  | 1.08  | 1.15  | B slower by 12% (CI 8-15%)",
      // An interval holding 1 is no difference, shown as signed percent change.
      "1.01  | 0.97  | 1.04  | no difference detected (CI -3 to +4%)",
      "0.98  | 0.95  | 1.0   | no difference detected (CI -5 to 0%)",
      "1     | 1     | 1     | no difference detected (CI 0 to 0%)",
      // A small but certain effect keeps a decimal rather than reading as 0%.
      "0.995 | 0.992 | 0.998 | B faster by 0.5% (CI 0.2-0.8%)"})
  void verdictReadsTheP50RatioAndItsInterval(double ratio, double low, double high,
      String verdict) {
    assertThat(Verdicts.of("B", new RatioInterval(100, 100 * ratio, ratio, low, high)))
        .isEqualTo(verdict);
  }

  @Test
  void notEnoughRunsNamesTheMinimum() {
    assertThat(Verdicts.notEnoughRuns(5)).isEqualTo("not enough runs (need >= 5 per fleet)");
  }
}

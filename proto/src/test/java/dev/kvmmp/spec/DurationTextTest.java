package dev.kvmmp.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Duration;
import com.google.protobuf.util.Durations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationTextTest {

  @ParameterizedTest
  @CsvSource({
      "250us, 250000",
      "500ms, 500000000",
      "10s, 10000000000",
      "1.5s, 1500000000",
      "2m, 120000000000",
      "1h, 3600000000000",
      "1h30m, 5400000000000",
      "0s, 0",
      "0, 0",
      "7ns, 7",
      "250µs, 250000",
      "250μs, 250000",
      "-1s, -1000000000",
      "' 10 s ', 10000000000",
  })
  void parsesTheUnitsPeopleWrite(String text, long nanos) {
    assertThat(DurationText.parse(text)).isEqualTo(Durations.fromNanos(nanos));
  }

  @ParameterizedTest
  @CsvSource({
      "0, 0s",
      "250000, 250us",
      "1500000, 1.5ms",
      "10000000000, 10s",
      "1500000000, 1.5s",
      "120000000000, 2m",
      "3600000000000, 1h",
      "5400000000000, 1h30m",
      "3605000000000, 1h5s",
      "60500000000, 1m0.5s",
      "7, 7ns",
      "-1000000000, -1s",
  })
  void formatsCompactly(long nanos, String text) {
    assertThat(DurationText.format(Durations.fromNanos(nanos))).isEqualTo(text);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 999, 1_000, 1_500_000, 59_999_999_999L, 60_000_000_000L, 5_400_000_000_001L})
  void formatReadsBackToTheSameDuration(long nanos) {
    Duration duration = Durations.fromNanos(nanos);
    assertThat(DurationText.parse(DurationText.format(duration))).isEqualTo(duration);
  }

  @ParameterizedTest
  @ValueSource(strings = {"10 parsecs", "", "10", "s", "1.s", "5ms5", "1,5s"})
  void rejectsTextThatIsNotADuration(String text) {
    assertThatThrownBy(() -> DurationText.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'" + text + "' is not a duration (examples: 500us, 250ms, 10s, 2m, 1h)");
  }

  @Test
  void rejectsDurationsAProtoCannotHold() {
    assertThatThrownBy(() -> DurationText.parse("1.5ns"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'1.5ns' is finer than a nanosecond, the smallest step of a duration");
    assertThatThrownBy(() -> DurationText.parse("100000000h"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'100000000h' is longer than 10,000 years, the longest duration");
  }
}

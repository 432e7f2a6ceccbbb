package dev.kvmmp.spec;

import com.google.protobuf.Duration;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as people write them in specs and read them in messages: {@code 250us}, {@code 1.5ms},
 * {@code 10s}, {@code 1h30m}. {@link #format} output always parses back to the same duration.
 */
public final class DurationText {

  private static final String EXAMPLES = "examples: 500us, 250ms, 10s, 2m, 1h";
  // Longer unit names first, so that "ms" is not read as "m" followed by garbage.
  private static final Pattern PART =
      Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ns|us|µs|μs|ms|s|m|h)");
  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final Map<String, Long> UNIT_NANOS = Map.of(
      "ns", 1L,
      "us", 1_000L,
      "µs", 1_000L, // micro sign U+00B5
      "μs", 1_000L, // Greek small mu U+03BC, which keyboards produce too
      "ms", 1_000_000L,
      "s", NANOS_PER_SECOND,
      "m", 60 * NANOS_PER_SECOND,
      "h", 3_600 * NANOS_PER_SECOND);
  // google.protobuf.Duration's documented range: about +-10,000 years.
  private static final long MAX_SECONDS = 315_576_000_000L;

  private DurationText() {}

  /**
   * A compact form: hours and minutes (and seconds) from one minute up ({@code 2m}, {@code 1h30m},
   * {@code 1m0.5s}), otherwise the largest unit that keeps the number at least 1 ({@code 10s},
   * {@code 1.5ms}, {@code 250us}, {@code 7ns}); {@code 0s} for zero.
   */
  public static String format(Duration duration) {
    BigInteger nanos = BigInteger.valueOf(duration.getSeconds())
        .multiply(BigInteger.valueOf(NANOS_PER_SECOND))
        .add(BigInteger.valueOf(duration.getNanos()));
    return format(nanos);
  }

  private static String format(BigInteger nanos) {
    if (nanos.signum() == 0) {
      return "0s";
    }
    if (nanos.signum() < 0) {
      return "-" + format(nanos.negate());
    }
    BigInteger minute = BigInteger.valueOf(UNIT_NANOS.get("m"));
    if (nanos.compareTo(minute) < 0) {
      for (String unit : new String[] {"s", "ms", "us"}) {
        if (nanos.compareTo(BigInteger.valueOf(UNIT_NANOS.get(unit))) >= 0) {
          return decimal(nanos, UNIT_NANOS.get(unit)) + unit;
        }
      }
      return nanos + "ns";
    }
    BigInteger[] hours = nanos.divideAndRemainder(BigInteger.valueOf(UNIT_NANOS.get("h")));
    BigInteger[] minutes = hours[1].divideAndRemainder(minute);
    StringBuilder text = new StringBuilder();
    if (hours[0].signum() > 0) {
      text.append(hours[0]).append('h');
    }
    if (minutes[0].signum() > 0) {
      text.append(minutes[0]).append('m');
    }
    if (minutes[1].signum() > 0) {
      text.append(decimal(minutes[1], NANOS_PER_SECOND)).append('s');
    }
    return text.toString();
  }

  private static String decimal(BigInteger nanos, long unitNanos) {
    // Exact: the unit is a power of ten (or a multiple of one second, for whole seconds).
    return new BigDecimal(nanos)
        .divide(BigDecimal.valueOf(unitNanos))
        .stripTrailingZeros()
        .toPlainString();
  }

  /**
   * Reads {@code 250us}, {@code 500ms}, {@code 10s}, {@code 1.5s}, {@code 2m}, {@code 1h},
   * {@code 1h30m}, {@code 0s} or {@code 0}; units ns, us (or µs), ms, s, m, h; an optional leading
   * sign.
   *
   * @throws IllegalArgumentException naming the text and showing examples, if it is not a duration
   */
  public static Duration parse(String text) {
    String rest = text.strip();
    boolean negative = rest.startsWith("-");
    if (negative || rest.startsWith("+")) {
      rest = rest.substring(1);
    }
    if (rest.equals("0")) {
      return Duration.getDefaultInstance();
    }
    Matcher part = PART.matcher(rest);
    BigDecimal nanos = BigDecimal.ZERO;
    int at = 0;
    while (at < rest.length()) {
      if (!part.region(at, rest.length()).lookingAt()) {
        throw notADuration(text);
      }
      nanos = nanos.add(new BigDecimal(part.group(1)).multiply(BigDecimal.valueOf(UNIT_NANOS.get(part.group(2)))));
      at = part.end();
    }
    if (at == 0) {
      throw notADuration(text);
    }
    BigInteger whole;
    try {
      whole = nanos.toBigIntegerExact();
    } catch (ArithmeticException finerThanNanos) {
      throw new IllegalArgumentException(
          "'" + text + "' is finer than a nanosecond, the smallest step of a duration");
    }
    if (negative) {
      whole = whole.negate();
    }
    // Truncating division keeps the sign of seconds and nanos the same, as Duration requires.
    BigInteger[] secondsAndNanos = whole.divideAndRemainder(BigInteger.valueOf(NANOS_PER_SECOND));
    if (secondsAndNanos[0].abs().compareTo(BigInteger.valueOf(MAX_SECONDS)) > 0) {
      throw new IllegalArgumentException("'" + text + "' is longer than 10,000 years, the longest duration");
    }
    return Duration.newBuilder()
        .setSeconds(secondsAndNanos[0].longValueExact())
        .setNanos(secondsAndNanos[1].intValueExact())
        .build();
  }

  private static IllegalArgumentException notADuration(String text) {
    return new IllegalArgumentException("'" + text + "' is not a duration (" + EXAMPLES + ")");
  }
}

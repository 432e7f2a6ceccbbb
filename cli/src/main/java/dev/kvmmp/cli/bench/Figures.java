package dev.kvmmp.cli.bench;

import java.util.OptionalDouble;

/**
 * The latency figures of one side of one trial, in microseconds of round trip. A tool that does
 * not report a figure (perf bench has no percentiles) leaves it empty rather than inventing it.
 */
public record Figures(OptionalDouble p50Us, OptionalDouble p99Us, OptionalDouble meanUs) {

  public Figures {
    requireValid("p50", p50Us);
    requireValid("p99", p99Us);
    requireValid("mean", meanUs);
  }

  public static Figures of(double p50Us, double p99Us, double meanUs) {
    return new Figures(OptionalDouble.of(p50Us), OptionalDouble.of(p99Us),
        OptionalDouble.of(meanUs));
  }

  public static Figures meanOnly(double meanUs) {
    return new Figures(OptionalDouble.empty(), OptionalDouble.empty(), OptionalDouble.of(meanUs));
  }

  private static void requireValid(String name, OptionalDouble value) {
    if (value == null) {
      throw new IllegalArgumentException(name + " must be a value or empty, not null");
    }
    if (value.isPresent() && !(value.getAsDouble() >= 0 && Double.isFinite(value.getAsDouble()))) {
      throw new IllegalArgumentException(name + " must be a finite latency >= 0 us, got "
          + value.getAsDouble());
    }
  }
}

package dev.kvmmp.spec;

import com.google.protobuf.Duration;
import com.google.protobuf.util.Durations;
import java.util.ArrayList;
import java.util.List;

/** Collects {@link SpecViolation}s, with the range checks whose wording every rule shares. */
final class Violations {

  private final List<SpecViolation> found = new ArrayList<>();

  void add(String path, String message) {
    found.add(new SpecViolation(path, message));
  }

  void missing(String path) {
    add(path, "missing (required)");
  }

  void range(String path, long value, long min, long max) {
    if (value < min) {
      add(path, value + " is below the minimum " + min);
    } else if (value > max) {
      add(path, value + " is above the maximum " + max);
    }
  }

  /** Like {@link #range}, with limits of a KiB or more also shown as {@code (1 MiB)}. */
  void byteRange(String path, long value, long min, long max) {
    if (value < min) {
      add(path, value + " is below the minimum " + min + humanBytes(min));
    } else if (value > max) {
      add(path, value + " is above the maximum " + max + humanBytes(max));
    }
  }

  /** For text and lists: {@code 129 characters, above the maximum 128}. */
  void count(String path, int count, String unit, int max) {
    if (count > max) {
      add(path, count + " " + unit + ", above the maximum " + max);
    }
  }

  /**
   * Checks {@code duration} lies in {@code (0, max]}, or {@code [0, max]} when {@code zeroAllowed}.
   * Returns false if it is not a valid Duration at all, which only a hand-built proto can be.
   */
  boolean durationRange(String path, Duration duration, boolean zeroAllowed, Duration max) {
    if (!Durations.isValid(duration)) {
      add(path, "not a valid duration (seconds " + duration.getSeconds() + ", nanos "
          + duration.getNanos() + ")");
      return false;
    }
    String text = DurationText.format(duration);
    if (zeroAllowed && Durations.isNegative(duration)) {
      add(path, text + " is below the minimum 0s");
    } else if (!zeroAllowed && !Durations.isPositive(duration)) {
      add(path, text + " must be above 0");
    } else if (Durations.compare(duration, max) > 0) {
      add(path, text + " is above the maximum " + DurationText.format(max));
    }
    return true;
  }

  List<SpecViolation> toList() {
    return List.copyOf(found);
  }

  private static String humanBytes(long bytes) {
    if (bytes >= 1L << 20 && bytes % (1L << 20) == 0) {
      return " (" + (bytes >> 20) + " MiB)";
    }
    if (bytes >= 1L << 10 && bytes % (1L << 10) == 0) {
      return " (" + (bytes >> 10) + " KiB)";
    }
    return "";
  }
}

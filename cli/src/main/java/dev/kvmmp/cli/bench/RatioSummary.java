package dev.kvmmp.cli.bench;

import java.util.List;

/**
 * The per-trial ratios of a row reduced to what the table shows: their median, which one odd
 * trial cannot move, and their range, which shows how much to trust it.
 */
public record RatioSummary(double median, double min, double max, int trials) {

  public static RatioSummary of(List<Double> ratios) {
    if (ratios.isEmpty()) {
      throw new IllegalArgumentException("ratios: need at least one, got none");
    }
    List<Double> sorted = ratios.stream().sorted().toList();
    return new RatioSummary(median(sorted), sorted.get(0), sorted.get(sorted.size() - 1),
        sorted.size());
  }

  /** The middle value, or the mean of the two middle ones for an even count. */
  public static double median(List<Double> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("values: need at least one, got none");
    }
    List<Double> sorted = values.stream().sorted().toList();
    int middle = sorted.size() / 2;
    return sorted.size() % 2 == 1
        ? sorted.get(middle)
        : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
  }
}

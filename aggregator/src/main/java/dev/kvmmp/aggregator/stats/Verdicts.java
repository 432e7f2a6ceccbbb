package dev.kvmmp.aggregator.stats;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The verdict of a comparison in words, judged on the p50 ratio (fleet / baseline): "B faster by
 * 38% (CI 34-42%)", "B slower by 12% (CI 8-15%)", "no difference detected (CI -3 to +4%)" when
 * the interval holds 1, or "not enough runs (need >= 5 per fleet)".
 *
 * <p>Percentages are whole numbers from 1% up and keep one decimal below, so that a small but
 * certain effect does not read as "faster by 0% (CI 0-0%)".
 */
public final class Verdicts {

  private Verdicts() {}

  public static String notEnoughRuns(int minRunsPerFleet) {
    return "not enough runs (need >= " + minRunsPerFleet + " per fleet)";
  }

  public static String of(String fleet, RatioInterval p50) {
    if (p50.spansOne()) {
      return "no difference detected (CI " + signedPercent(p50.low() - 1) + " to "
          + signedPercent(p50.high() - 1) + "%)";
    }
    if (p50.ratio() < 1) {
      return fleet + " faster by " + percent(1 - p50.ratio()) + "% (CI "
          + percent(1 - p50.high()) + "-" + percent(1 - p50.low()) + "%)";
    }
    return fleet + " slower by " + percent(p50.ratio() - 1) + "% (CI "
        + percent(p50.low() - 1) + "-" + percent(p50.high() - 1) + "%)";
  }

  /** A fraction as a percentage without its sign, e.g. 0.384 -> "38", 0.0042 -> "0.4". */
  static String percent(double fraction) {
    double value = Math.abs(fraction) * 100;
    int decimals = value < 0.95 ? 1 : 0;
    return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP)
        .stripTrailingZeros().toPlainString();
  }

  private static String signedPercent(double fraction) {
    String magnitude = percent(fraction);
    if (magnitude.equals("0")) {
      return magnitude;
    }
    return (fraction < 0 ? "-" : "+") + magnitude;
  }
}

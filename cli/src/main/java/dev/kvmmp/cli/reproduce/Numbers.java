package dev.kvmmp.cli.reproduce;

import java.util.Locale;

/** How the findings print numbers: latencies in us, ratios with an x, counts per transaction. */
final class Numbers {

  private Numbers() {}

  /** A latency given in ns, in us: "67.1 us", "4.38 us". */
  static String us(double ns) {
    return Double.isNaN(ns) ? "-" : number(ns / 1_000) + " us";
  }

  /** A number with 3 significant digits or so: "67.1", "4.38". */
  static String number(double value) {
    return Double.isNaN(value) ? "-"
        : String.format(Locale.ROOT, Math.abs(value) < 10 ? "%.2f" : "%.1f", value);
  }

  /** A ratio: "15.2x", "0.155x". */
  static String ratio(double ratio) {
    if (Double.isNaN(ratio)) {
      return "-";
    }
    return String.format(Locale.ROOT, ratio < 1 ? "%.3fx" : ratio < 10 ? "%.2fx" : "%.1fx", ratio);
  }

  /** A ratio's interval: "[14.1x, 16.3x]". */
  static String ratioInterval(double low, double high) {
    return "[" + ratio(low) + ", " + ratio(high) + "]";
  }

  /** A count per transaction: "2.00". */
  static String count(double count) {
    return Double.isNaN(count) ? "-" : String.format(Locale.ROOT, "%.2f", count);
  }

  /** A difference of counts' interval: "[+1.95, +2.01]". */
  static String differenceInterval(double low, double high) {
    return String.format(Locale.ROOT, "[%+.2f, %+.2f]", low, high);
  }

  /** A count's interval: "[1.98, 2.00]". */
  static String countInterval(double low, double high) {
    return "[" + count(low) + ", " + count(high) + "]";
  }
}

package dev.kvmmp.aggregator.stats;

import dev.kvmmp.proto.v1.Effect;

/**
 * A fleet's median against the baseline's, as fleet / baseline, with a 95% confidence interval
 * for that ratio.
 *
 * @param baselineMedian the baseline fleet's median of the run-level figure
 * @param median the fleet's median of the run-level figure
 * @param ratio median / baselineMedian; below 1 is lower (faster for a latency)
 * @param low the interval's lower end
 * @param high the interval's upper end
 */
public record RatioInterval(double baselineMedian, double median, double ratio, double low,
    double high) {

  public RatioInterval {
    if (!(low <= ratio && ratio <= high)) {
      throw new IllegalArgumentException(
          "ratio interval: need low <= ratio <= high, was " + low + " <= " + ratio + " <= " + high);
    }
  }

  /** Whether the interval holds 1, that is no difference between the fleets. */
  public boolean spansOne() {
    return low <= 1 && 1 <= high;
  }

  public Effect toEffect() {
    return Effect.newBuilder().setBaselineMedian(baselineMedian).setMedian(median)
        .setRatio(ratio).setCiLow(low).setCiHigh(high).build();
  }
}

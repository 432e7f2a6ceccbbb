package dev.kvmmp.cli.reproduce;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A 95% percentile-bootstrap interval for a median of a per-transaction count, or for the
 * difference of two groups' medians, resampling runs. For counts that are ~0 in one group (IPIs
 * on one vCPU), where a ratio would divide by zero. It resamples runs only: right for runs of
 * one VM, as the local seeds are; across VMs and hosts, the hierarchical bootstrap of the
 * aggregator's fleet comparisons is the one to use.
 *
 * @param estimate the median, or the difference of the medians (other - base)
 * @param low the interval's lower end
 * @param high the interval's upper end
 */
public record MedianInterval(double estimate, double low, double high) {

  static final int RESAMPLES = 2_000;

  /**
   * The interval of median(other) - median(base); needs 2 runs in each group.
   *
   * @param seed the same runs and seed give the same interval
   */
  public static MedianInterval ofDifference(double[] base, double[] other, long seed) {
    requireRuns(base.length, other.length);
    SplittableRandom random = new SplittableRandom(seed);
    double[] resampled = new double[RESAMPLES];
    for (int i = 0; i < RESAMPLES; i++) {
      resampled[i] = resampledMedian(other, random) - resampledMedian(base, random);
    }
    return of(RunGroup.medianOf(other) - RunGroup.medianOf(base), resampled);
  }

  /** The interval of one group's median; needs 2 runs. */
  public static MedianInterval ofMedian(double[] values, long seed) {
    requireRuns(values.length, values.length);
    SplittableRandom random = new SplittableRandom(seed);
    double[] resampled = new double[RESAMPLES];
    for (int i = 0; i < RESAMPLES; i++) {
      resampled[i] = resampledMedian(values, random);
    }
    return of(RunGroup.medianOf(values), resampled);
  }

  private static MedianInterval of(double estimate, double[] resampled) {
    Arrays.sort(resampled);
    double low = resampled[(int) Math.floor(0.025 * (RESAMPLES - 1))];
    double high = resampled[(int) Math.ceil(0.975 * (RESAMPLES - 1))];
    return new MedianInterval(estimate, Math.min(low, estimate), Math.max(high, estimate));
  }

  private static void requireRuns(int base, int other) {
    if (base < 2 || other < 2) {
      throw new IllegalArgumentException(
          "median interval: need >= 2 runs per group, got " + base + " and " + other);
    }
  }

  private static double resampledMedian(double[] values, SplittableRandom random) {
    double[] drawn = new double[values.length];
    for (int i = 0; i < drawn.length; i++) {
      drawn[i] = values[random.nextInt(values.length)];
    }
    return RunGroup.medianOf(drawn);
  }
}

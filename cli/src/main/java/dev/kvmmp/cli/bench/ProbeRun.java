package dev.kvmmp.cli.bench;

import java.util.List;
import java.util.Objects;

/**
 * What one probe process measured over its measured window, as it reports it to the benchmark:
 * every sample's duration (not percentiles, so that nothing is lost on the way), and CPU times
 * over the window.
 *
 * @param vms             VMs the probe was to follow
 * @param sampleNanos     wall time of each measured {@code sample()} call
 * @param windowNanos     wall time of the measured window: samples times the interval
 * @param processCpuNanos CPU of the whole probe process over the window ({@link ProcessCpu})
 * @param samplerCpuNanos CPU of the thread that takes the samples, over the window
 * @param gcCount         garbage collections during the window
 * @param gcMillis        time the collectors report for them
 * @param minVms          fewest VMs in one measured sample
 * @param missing         counters reported missing, summed over the measured samples
 * @param firstMissing    the first of them, to say what went wrong; empty when none
 * @param sampleBytes     serialized size of the last sample (what a sink ships per interval)
 */
record ProbeRun(int vms, List<Long> sampleNanos, long windowNanos, long processCpuNanos,
    long samplerCpuNanos, long gcCount, long gcMillis, int minVms, int missing,
    String firstMissing, int sampleBytes) {

  ProbeRun {
    sampleNanos = List.copyOf(sampleNanos);
    Objects.requireNonNull(firstMissing, "firstMissing");
    if (sampleNanos.isEmpty() || windowNanos <= 0) {
      throw new IllegalArgumentException("a probe run needs samples and a window > 0, got "
          + sampleNanos.size() + " samples over " + windowNanos + " ns");
    }
  }

  /** CPU of the probe process as a percentage of one core over the window. */
  double processCpuPercent() {
    return 100.0 * processCpuNanos / windowNanos;
  }

  /** CPU of the sampling thread alone, as a percentage of one core. */
  double samplerCpuPercent() {
    return 100.0 * samplerCpuNanos / windowNanos;
  }

  /** The {@code q}-quantile (0..1) of the sample durations in ms, nearest rank. */
  double sampleMillis(double q) {
    List<Long> sorted = sampleNanos.stream().sorted().toList();
    int rank = (int) Math.ceil(q * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1))) / 1e6;
  }
}

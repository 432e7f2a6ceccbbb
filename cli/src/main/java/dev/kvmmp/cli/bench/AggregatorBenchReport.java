package dev.kvmmp.cli.bench;

import org.HdrHistogram.Histogram;

/**
 * What one {@code kvmmp bench aggregator} trial measured.
 *
 * @param setup the fleet simulated
 * @param windowNanos how long the generator published
 * @param samplesSent host samples the broker acknowledged in the window
 * @param bytesSent their serialized size, uncompressed
 * @param samplesProcessed how far the aggregator's group advanced over kvmmp.host-samples in it
 * @param lagAtEnd records of kvmmp.host-samples not yet processed when the generator stopped
 * @param peakLag the most of them at any second of the window
 * @param drainNanos from the generator's stop until the group caught up and every report was in;
 *     -1 when that did not happen within the drain limit
 * @param runsSent ended runs sent
 * @param endToEnd for each run whose report arrived, ns from sending the run to reading the report
 * @param cpu CPU time in the window, each process
 * @param aggregatorPeakRssBytes VmHWM of the aggregator's JVM
 * @param brokerPeakRssBytes VmHWM of the broker's JVM
 */
record AggregatorBenchReport(AggregatorBenchSetup setup, long windowNanos, long samplesSent,
    long bytesSent, long samplesProcessed, long lagAtEnd, long peakLag, long drainNanos,
    int runsSent, Histogram endToEnd, Cpu cpu, long aggregatorPeakRssBytes,
    long brokerPeakRssBytes) {

  /** CPU time, ns, of the aggregator's, the broker's and this (the generator's) JVM. */
  record Cpu(long aggregatorNanos, long brokerNanos, long generatorNanos) {}

  double seconds() {
    return windowNanos / 1e9;
  }

  double inputPerSecond() {
    return samplesSent / Math.max(seconds(), 1e-9);
  }

  double processedPerSecond() {
    return samplesProcessed / Math.max(seconds(), 1e-9);
  }

  /** Records behind, in seconds of the target input. */
  double lagSeconds(long records) {
    return records / (double) Math.max(1, setup.targetSamplesPerSecond());
  }

  double cores(long cpuNanos) {
    return cpuNanos / (double) Math.max(1, windowNanos);
  }
}

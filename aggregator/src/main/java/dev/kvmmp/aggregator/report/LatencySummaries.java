package dev.kvmmp.aggregator.report;

import dev.kvmmp.proto.v1.LatencySummary;
import dev.kvmmp.proto.v1.RunResult;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/** A run's latency summary, from the whole HdrHistogram its worker shipped. */
final class LatencySummaries {

  private static final double NS_PER_SECOND = 1e9;

  private LatencySummaries() {}

  /** The summary, or empty with the reason in {@code findings} when the histogram is unusable. */
  static Optional<LatencySummary> of(RunResult result, Findings findings) {
    if (result.getHistogram().isEmpty()) {
      findings.missing("latency: the result has no histogram");
      return Optional.empty();
    }
    Histogram histogram;
    try {
      histogram = Histogram.decodeFromCompressedByteBuffer(
          ByteBuffer.wrap(result.getHistogram().toByteArray()), 0);
    } catch (DataFormatException | RuntimeException e) {
      // Corrupt bytes surface as any of several runtime exceptions inside HdrHistogram; a bad
      // result must cost its latency, never the report.
      findings.missing("latency: the histogram (" + result.getHistogram().size()
          + " bytes) does not decode: " + e);
      return Optional.empty();
    }
    long transactions = result.getTransactions();
    if (histogram.getTotalCount() != transactions) {
      findings.missing("latency: the histogram counts " + histogram.getTotalCount()
          + " transactions, the result says " + transactions + "; percentiles are the histogram's");
    }
    LatencySummary.Builder summary = LatencySummary.newBuilder()
        .setTransactions(transactions)
        .setWindowNs(result.getWindowNs());
    if (result.getWindowNs() > 0) {
      summary.setTransactionsPerSecond(transactions * NS_PER_SECOND / result.getWindowNs());
    } else {
      findings.missing("latency: transactions/s: the result has no window_ns");
    }
    if (histogram.getTotalCount() > 0) {
      summary.setMeanNs(histogram.getMean())
          .setP50Ns(histogram.getValueAtPercentile(50))
          .setP90Ns(histogram.getValueAtPercentile(90))
          .setP99Ns(histogram.getValueAtPercentile(99))
          .setP999Ns(histogram.getValueAtPercentile(99.9));
    } else {
      findings.missing("latency: percentiles: the histogram is empty");
    }
    return Optional.of(summary.build());
  }
}

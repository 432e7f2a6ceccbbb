package dev.kvmmp.cli.output;

import dev.kvmmp.proto.v1.RunResult;
import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/** The numbers a person reads off one run's histogram, latencies in microseconds. */
public record LatencySummary(long transactions, double transactionsPerSecond, double meanUs,
    double p50Us, double p90Us, double p99Us, double p999Us) {

  public static LatencySummary of(RunResult result) {
    Histogram histogram = decode(result);
    double seconds = result.getWindowNs() / 1e9;
    return new LatencySummary(
        histogram.getTotalCount(),
        seconds > 0 ? histogram.getTotalCount() / seconds : 0,
        histogram.getMean() / 1e3,
        histogram.getValueAtPercentile(50) / 1e3,
        histogram.getValueAtPercentile(90) / 1e3,
        histogram.getValueAtPercentile(99) / 1e3,
        histogram.getValueAtPercentile(99.9) / 1e3);
  }

  public static Histogram decode(RunResult result) {
    try {
      return Histogram.decodeFromCompressedByteBuffer(
          ByteBuffer.wrap(result.getHistogram().toByteArray()), 0);
    } catch (DataFormatException e) {
      throw new IllegalArgumentException("run result holds a histogram that does not decode", e);
    }
  }
}

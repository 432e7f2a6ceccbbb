package dev.kvmmp.worker.workload;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.Timestamps;
import dev.kvmmp.proto.v1.RunResult;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.HdrHistogram.Histogram;

/** Turns a closed loop's measurement into the result the worker sends. */
public final class Measurements {

  private Measurements() {}

  public static RunResult.Builder toResult(ClosedLoop.Measurement measurement) {
    return RunResult.newBuilder()
        .setHistogram(encode(measurement.histogram()))
        .setTransactions(measurement.transactions())
        .setWarmupTransactions(measurement.warmupTransactions())
        .setWindowStart(timestamp(measurement.windowStart()))
        .setWindowEnd(timestamp(measurement.windowEnd()))
        .setWindowNs(measurement.windowNanos());
  }

  /** The compressed HdrHistogram encoding: whole histograms travel, never percentiles. */
  public static ByteString encode(Histogram histogram) {
    ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
    int length = histogram.encodeIntoCompressedByteBuffer(buffer);
    return ByteString.copyFrom(buffer.array(), 0, length);
  }

  private static com.google.protobuf.Timestamp timestamp(Instant instant) {
    return Timestamps.fromNanos(instant.getEpochSecond() * 1_000_000_000L + instant.getNano());
  }
}

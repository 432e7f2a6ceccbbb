package dev.kvmmp.cli.bench;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.Timestamps;
import dev.kvmmp.proto.v1.RunResult;
import java.nio.ByteBuffer;
import java.time.Instant;
import org.HdrHistogram.Histogram;

/**
 * The result a simulated worker sends: small, but one the coordinator accepts as a real worker's
 * (a histogram in the compressed encoding, 3 significant digits, holding exactly the counted
 * transactions; a window that ends after it starts), so that the scheduler does the work it does
 * for a real result. The histogram is encoded once and shared by every result.
 */
public final class SimulatedResult {

  /** Round trips in ns, as a loopback tcp_rr in a VM might see them. */
  private static final long[] ROUND_TRIP_NS = {18_000, 21_000, 23_500, 25_000, 31_000, 47_000};

  private final ByteString histogram;
  private final long transactions;

  public SimulatedResult() {
    Histogram recorded = new Histogram(3);
    for (long value : ROUND_TRIP_NS) {
      recorded.recordValue(value);
    }
    ByteBuffer buffer = ByteBuffer.allocate(recorded.getNeededByteBufferCapacity());
    int length = recorded.encodeIntoCompressedByteBuffer(buffer);
    histogram = ByteString.copyFrom(buffer.array(), 0, length);
    transactions = recorded.getTotalCount();
  }

  /** A result for a window from {@code start} to {@code end}, {@code windowNanos} long. */
  public RunResult between(Instant start, Instant end, long windowNanos) {
    return RunResult.newBuilder()
        .setHistogram(histogram)
        .setTransactions(transactions)
        .setWindowStart(Timestamps.fromNanos(toNanos(start)))
        .setWindowEnd(Timestamps.fromNanos(toNanos(end)))
        .setWindowNs(Math.max(1, windowNanos))
        .build();
  }

  private static long toNanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }
}

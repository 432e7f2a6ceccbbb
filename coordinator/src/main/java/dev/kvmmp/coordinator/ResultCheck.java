package dev.kvmmp.coordinator;

import com.google.protobuf.util.Timestamps;
import dev.kvmmp.proto.v1.RunResult;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * Refuses results that contradict themselves, so a worker bug never becomes a number in a
 * report: the histogram must decode and hold exactly the transactions the worker counted.
 */
final class ResultCheck {

  private ResultCheck() {}

  static Optional<String> inconsistency(RunResult result) {
    if (result.getTransactions() == 0) {
      return Optional.of("no transaction completed in the measured window");
    }
    Histogram histogram;
    try {
      histogram = Histogram.decodeFromCompressedByteBuffer(
          ByteBuffer.wrap(result.getHistogram().toByteArray()), 0);
    } catch (DataFormatException | RuntimeException e) {
      return Optional.of("histogram does not decode: " + e.getMessage());
    }
    if (histogram.getTotalCount() != result.getTransactions()) {
      return Optional.of("histogram holds " + histogram.getTotalCount()
          + " transactions, the result says " + result.getTransactions());
    }
    if (result.getWindowNs() == 0
        || Timestamps.compare(result.getWindowEnd(), result.getWindowStart()) < 0) {
      return Optional.of("the measured window is empty or ends before it starts");
    }
    return Optional.empty();
  }
}

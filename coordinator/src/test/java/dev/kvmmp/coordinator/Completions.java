package dev.kvmmp.coordinator;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.Timestamps;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunCompleted;
import dev.kvmmp.proto.v1.RunResult;
import java.nio.ByteBuffer;
import org.HdrHistogram.Histogram;

/** Consistent results for runs, as a worker sends them. */
final class Completions {

  private Completions() {}

  static RunCompleted of(Run run, int transactions) {
    Histogram histogram = new Histogram(3);
    for (int i = 0; i < transactions; i++) {
      histogram.recordValue(20_000);
    }
    ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
    int length = histogram.encodeIntoCompressedByteBuffer(buffer);
    return RunCompleted.newBuilder()
        .setRunId(run.getId())
        .setAttempt(run.getAttempt())
        .setResult(RunResult.newBuilder()
            .setHistogram(ByteString.copyFrom(buffer.array(), 0, length))
            .setTransactions(transactions)
            .setWindowStart(Timestamps.fromMillis(1_000))
            .setWindowEnd(Timestamps.fromMillis(1_020))
            .setWindowNs(20_000L * transactions))
        .build();
  }}

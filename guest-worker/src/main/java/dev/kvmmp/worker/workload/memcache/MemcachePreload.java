package dev.kvmmp.worker.workload.memcache;

import dev.kvmmp.worker.workload.RunControl;
import dev.kvmmp.worker.workload.WorkloadException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Stores every key once before the warm-up, so that gets hit. Sets go out in pipelined batches:
 * one at a time, a million keys would take longer than a run's grace period.
 */
final class MemcachePreload {

  private static final int BATCH_BYTES = 256 * 1024;
  /**
   * Replies of a batch (8 bytes each) must fit in the socket buffers while the batch is still
   * being written, or memcached and this client would each wait for the other.
   */
  private static final int MAX_BATCH = 256;

  private MemcachePreload() {}

  /** @throws WorkloadException when the run is cancelled meanwhile ("cancelled") */
  static void run(SocketChannel channel, MemcacheSettings settings, RunControl control)
      throws IOException, WorkloadException {
    KeyFormat keys = settings.keyFormat();
    byte[] header = MemcacheText.setHeader(keys.template(), settings.valueBytes());
    byte[] data = MemcacheText.data(settings.valueBytes());
    int requestBytes = header.length + data.length;
    int perBatch = Math.max(1, Math.min(MAX_BATCH, BATCH_BYTES / requestBytes));
    ByteBuffer batch = ByteBuffer.allocateDirect(perBatch * requestBytes);
    ByteBuffer replies = ByteBuffer.allocateDirect(perBatch * MemcacheText.STORED.length);
    for (int first = 0; first < settings.keys(); first += perBatch) {
      if (control.cancelled()) {
        throw new WorkloadException("cancelled");
      }
      int count = Math.min(perBatch, settings.keys() - first);
      batch.clear();
      for (int key = first; key < first + count; key++) {
        int at = batch.position();
        batch.put(header);
        keys.write(batch, at + MemcacheText.REQUEST_KEY_AT, key);
        batch.put(data);
      }
      batch.flip();
      while (batch.hasRemaining()) {
        channel.write(batch);
      }
      replies.clear().limit(count * MemcacheText.STORED.length);
      while (replies.hasRemaining()) {
        if (channel.read(replies) < 0) {
          throw new EOFException("memcached closed the connection while preloading keys "
              + keys.key(first) + " to " + keys.key(first + count - 1));
        }
      }
      checkStored(replies, count, keys, first);
    }
  }

  private static void checkStored(ByteBuffer replies, int count, KeyFormat keys, int first)
      throws IOException {
    int length = MemcacheText.STORED.length;
    for (int reply = 0; reply < count; reply++) {
      for (int i = 0; i < length; i++) {
        if (replies.get(reply * length + i) != MemcacheText.STORED[i]) {
          throw new IOException("memcached did not store '" + keys.key(first + reply)
              + "' while preloading: it answered '"
              + MemcacheText.show(replies, reply * length, replies.limit())
              + "', expected 'STORED\\r\\n'");
        }
      }
    }
  }
}

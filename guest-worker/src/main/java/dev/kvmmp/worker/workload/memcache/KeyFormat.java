package dev.kvmmp.worker.workload.memcache;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Keys of a fixed length: 'k' and the key's index, zero-padded ("k000000000000042"). Only the
 * index's last digits differ between keys, so the timing loop writes a key into a reused
 * request in place instead of holding one preencoded request per key (a million keys of 250
 * bytes would be a quarter of a gigabyte).
 */
final class KeyFormat {

  private final int keyBytes;
  private final int digits;

  KeyFormat(int keys, int keyBytes) {
    this.keyBytes = keyBytes;
    this.digits = digitsFor(keys);
    if (keyBytes < 1 + digits) {
      throw new IllegalArgumentException("key_bytes " + keyBytes + " cannot hold " + keys
          + " distinct keys");
    }
  }

  /** Digits that tell {@code keys} keys apart: those of the largest index, none for one key. */
  static int digitsFor(int keys) {
    return keys <= 1 ? 0 : Integer.toString(keys - 1).length();
  }

  int keyBytes() {
    return keyBytes;
  }

  /** The key of index 0, which {@link #write} turns into any other key. */
  byte[] template() {
    byte[] key = new byte[keyBytes];
    Arrays.fill(key, (byte) '0');
    key[0] = 'k';
    return key;
  }

  /**
   * Turns the template at {@code keyAt} in {@code buffer} into the key of {@code index}.
   * Absolute puts: the buffer's position is left alone, and nothing is allocated.
   */
  void write(ByteBuffer buffer, int keyAt, int index) {
    int at = keyAt + keyBytes;
    for (int d = 0; d < digits; d++) {
      buffer.put(--at, (byte) ('0' + index % 10));
      index /= 10;
    }
  }

  /** The key of {@code index} as text, for messages. */
  String key(int index) {
    ByteBuffer key = ByteBuffer.wrap(template());
    write(key, 0, index);
    return new String(key.array(), StandardCharsets.US_ASCII);
  }
}

package dev.kvmmp.worker.workload.memcache;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The few lines of memcached's text protocol the workload speaks, as bytes to send and to
 * expect. Requests carry a key template that {@link KeyFormat#write} turns into a given key.
 */
final class MemcacheText {

  static final byte[] END = ascii("END\r\n");
  static final byte[] STORED = ascii("STORED\r\n");
  /** What follows a get's data: the data's line end, then the END line. */
  static final byte[] HIT_TRAILER = ascii("\r\nEND\r\n");
  /** Where the key starts in "get KEY" and "set KEY ...". */
  static final int REQUEST_KEY_AT = 4;
  /** Where the key starts in "VALUE KEY ...". */
  static final int VALUE_KEY_AT = 6;

  private static final int SHOWN_BYTES = 200;

  private MemcacheText() {}

  /** {@code get <key>\r\n} */
  static byte[] get(byte[] key) {
    return concat(ascii("get "), key, ascii("\r\n"));
  }

  /** {@code set <key> 0 0 <n>\r\n}: flags 0, no expiry; the data line follows. */
  static byte[] setHeader(byte[] key, int valueBytes) {
    return concat(ascii("set "), key, ascii(" 0 0 " + valueBytes + "\r\n"));
  }

  /** The data line of a set: {@code valueBytes} of filler and its line end. */
  static byte[] data(int valueBytes) {
    byte[] data = new byte[valueBytes + 2];
    Arrays.fill(data, (byte) 'v');
    data[valueBytes] = '\r';
    data[valueBytes + 1] = '\n';
    return data;
  }

  /** {@code VALUE <key> 0 <n>\r\n}, the first line of a hit. */
  static byte[] valueHeader(byte[] key, int valueBytes) {
    return concat(ascii("VALUE "), key, ascii(" 0 " + valueBytes + "\r\n"));
  }

  static ByteBuffer direct(byte[] bytes) {
    return ByteBuffer.allocateDirect(bytes.length).put(bytes).clear();
  }

  /**
   * Bytes {@code from} to {@code to} of {@code buffer} as text for an error message: line ends
   * shown as \r and \n, cut after {@value #SHOWN_BYTES} bytes.
   */
  static String show(ByteBuffer buffer, int from, int to) {
    StringBuilder text = new StringBuilder();
    for (int i = from; i < Math.min(to, from + SHOWN_BYTES); i++) {
      char c = (char) (buffer.get(i) & 0xff);
      text.append(c == '\r' ? "\\r" : c == '\n' ? "\\n" : c < ' ' || c > '~' ? "?" : c);
    }
    return to - from > SHOWN_BYTES ? text + "..." : text.toString();
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}

package dev.kvmmp.probe.qmp;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Newline-delimited text over a UNIX-domain socket, where every connect, read and write ends by a
 * deadline ({@link System#nanoTime()} based). Non-blocking with a {@link Selector}, because a
 * blocking {@link SocketChannel} has no read timeout. Not thread-safe.
 */
final class JsonLineChannel implements Closeable {

  // A query-stats reply for hundreds of vCPUs is a few MB; a longer line means a broken peer.
  private static final int MAX_LINE_BYTES = 64 << 20;

  private final Path path;
  private final SocketChannel channel;
  private final Selector selector;
  private final SelectionKey key;
  private final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024).flip();
  /** The line being read, then the last line read: kept, so that a line costs no allocation. */
  private byte[] line = new byte[8 * 1024];
  private int lineLength;

  private JsonLineChannel(Path path, SocketChannel channel, Selector selector) throws IOException {
    this.path = path;
    this.channel = channel;
    this.selector = selector;
    this.key = channel.register(selector, 0);
  }

  static JsonLineChannel connect(Path path, long deadlineNanos) throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    JsonLineChannel result = null;
    try {
      channel.configureBlocking(false);
      result = new JsonLineChannel(path, channel, Selector.open());
      try {
        if (!channel.connect(UnixDomainSocketAddress.of(path))) {
          while (!channel.finishConnect()) {
            result.await(SelectionKey.OP_CONNECT, deadlineNanos, "connecting");
          }
        }
      } catch (SocketTimeoutException e) {
        throw e;
      } catch (IOException e) {
        throw new IOException(path + ": cannot connect to the QMP socket: " + e.getMessage(), e);
      }
      return result;
    } catch (IOException | RuntimeException e) {
      if (result != null) {
        result.close();
      } else {
        channel.close();
      }
      throw e;
    }
  }

  /** The next line without its newline; {@code what} says in error messages what was awaited. */
  String readLine(long deadlineNanos, String what) throws IOException {
    nextLine(deadlineNanos, what);
    return new String(line, 0, lineLength, StandardCharsets.UTF_8);
  }

  /**
   * Reads the next line, without its newline, into {@link #lineBytes()} up to {@link
   * #lineLength()}: valid until the next read.
   */
  void nextLine(long deadlineNanos, String what) throws IOException {
    lineLength = 0;
    while (true) {
      // Copied a buffer-full at a time: a query-stats reply is kilobytes, one line each.
      int start = readBuffer.position();
      int end = indexOfNewline(start, readBuffer.limit());
      int length = (end < 0 ? readBuffer.limit() : end) - start;
      if (lineLength + length > MAX_LINE_BYTES) {
        throw new IOException(path + ": line longer than " + MAX_LINE_BYTES + " bytes while "
            + what);
      }
      if (lineLength + length > line.length) {
        line = Arrays.copyOf(line, Math.max(lineLength + length, line.length * 2));
      }
      System.arraycopy(readBuffer.array(), readBuffer.arrayOffset() + start, line, lineLength,
          length);
      lineLength += length;
      if (end >= 0) {
        readBuffer.position(end + 1);
        return;
      }
      readBuffer.clear();
      int n = io(() -> channel.read(readBuffer), what);
      readBuffer.flip();
      if (n < 0) {
        throw new EOFException(path + ": QEMU closed the QMP connection while " + what);
      }
      if (n == 0) {
        await(SelectionKey.OP_READ, deadlineNanos, what);
      }
    }
  }

  /** The bytes of the line {@link #nextLine} read; only the first {@link #lineLength()} count. */
  byte[] lineBytes() {
    return line;
  }

  int lineLength() {
    return lineLength;
  }

  private int indexOfNewline(int from, int to) {
    byte[] bytes = readBuffer.array();
    int offset = readBuffer.arrayOffset();
    for (int i = from; i < to; i++) {
      if (bytes[offset + i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /** Writes {@code text} and a newline, entirely or not before the deadline. */
  void writeLine(String text, long deadlineNanos, String what) throws IOException {
    ByteBuffer out = StandardCharsets.UTF_8.encode(text + "\n");
    while (out.hasRemaining()) {
      if (io(() -> channel.write(out), what) == 0) {
        await(SelectionKey.OP_WRITE, deadlineNanos, what);
      }
    }
  }

  private interface Io {
    int run() throws IOException;
  }

  // The JDK's "Broken pipe" or "Connection reset" alone does not say which VM or what was asked.
  private int io(Io call, String what) throws IOException {
    try {
      return call.run();
    } catch (IOException e) {
      throw new IOException(path + ": " + e.getMessage() + " while " + what, e);
    }
  }

  private void await(int op, long deadlineNanos, String what) throws IOException {
    key.interestOps(op);
    try {
      while (true) {
        long leftMillis = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        if (leftMillis <= 0) {
          throw new SocketTimeoutException(path + ": timed out " + what);
        }
        int ready = selector.select(leftMillis);
        selector.selectedKeys().clear();
        if (ready > 0) {
          return;
        }
      }
    } finally {
      if (key.isValid()) {
        key.interestOps(0);
      }
    }
  }

  @Override
  public void close() throws IOException {
    try {
      selector.close();
    } finally {
      channel.close();
    }
  }
}

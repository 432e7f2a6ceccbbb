package dev.kvmmp.worker.workload.memcache;

import dev.kvmmp.worker.workload.RoundTrip;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * A blocking memcached text-protocol client over one connection, built for the timing loop:
 * each round trip is the schedule's next get or set, written from reused direct buffers into
 * which only the key's digits are written, and its reply checked byte for byte. Nothing is
 * allocated per round trip. A get that misses is allowed and counted; any other reply than the
 * one expected is an {@link IOException} that shows it.
 */
final class MemcacheClient implements RoundTrip {

  /** Room for an error line in place of a short expected reply. */
  private static final int MIN_REPLY_BYTES = 1024;

  private final SocketChannel channel;
  private final KeyFormat keys;
  private final OpSchedule schedule;
  private final ByteBuffer getRequest;
  private final ByteBuffer setHeader;
  private final ByteBuffer data;
  private final ByteBuffer[] setRequest;
  private final ByteBuffer valueHeader;
  private final int hitBytes;
  private final ByteBuffer reply;
  private int next;
  private long misses;

  MemcacheClient(SocketChannel channel, MemcacheSettings settings, OpSchedule schedule) {
    this.channel = channel;
    this.keys = settings.keyFormat();
    this.schedule = schedule;
    byte[] key = keys.template();
    this.getRequest = MemcacheText.direct(MemcacheText.get(key));
    this.setHeader = MemcacheText.direct(MemcacheText.setHeader(key, settings.valueBytes()));
    this.data = MemcacheText.direct(MemcacheText.data(settings.valueBytes()));
    this.setRequest = new ByteBuffer[] {setHeader, data};
    this.valueHeader = MemcacheText.direct(
        MemcacheText.valueHeader(key, settings.valueBytes()));
    this.hitBytes = valueHeader.capacity() + settings.valueBytes()
        + MemcacheText.HIT_TRAILER.length;
    this.reply = ByteBuffer.allocateDirect(Math.max(hitBytes, MIN_REPLY_BYTES));
  }

  /** Gets that found no value (memcached evicted the key, or never stored it). */
  long misses() {
    return misses;
  }

  @Override
  public void once() throws IOException {
    int slot = next;
    next = slot + 1 == schedule.length() ? 0 : slot + 1;
    if (schedule.isGet(slot)) {
      get(schedule.key(slot));
    } else {
      set(schedule.key(slot));
    }
  }

  private void get(int key) throws IOException {
    keys.write(getRequest, MemcacheText.REQUEST_KEY_AT, key);
    keys.write(valueHeader, MemcacheText.VALUE_KEY_AT, key);
    getRequest.clear();
    while (getRequest.hasRemaining()) {
      channel.write(getRequest);
    }
    reply.clear();
    int lineEnd = readLine("get", key);
    if (lineEnd == MemcacheText.END.length && reply.position() == lineEnd
        && replyHas(0, MemcacheText.END)) {
      misses++;
      return;
    }
    if (lineEnd != valueHeader.capacity() || !replyHas(0, valueHeader)) {
      throw unexpected("get", key, lineEnd,
          "'" + MemcacheText.show(valueHeader, 0, valueHeader.capacity()) + "' or 'END\\r\\n'");
    }
    while (reply.position() < hitBytes) {
      read("get", key);
    }
    if (reply.position() != hitBytes
        || !replyHas(hitBytes - MemcacheText.HIT_TRAILER.length, MemcacheText.HIT_TRAILER)) {
      throw unexpected("get", key, reply.position(),
          hitBytes + " bytes ending in '\\r\\nEND\\r\\n'");
    }
  }

  private void set(int key) throws IOException {
    keys.write(setHeader, MemcacheText.REQUEST_KEY_AT, key);
    setHeader.clear();
    data.clear();
    // One gathering write, so that header and data leave in one segment despite TCP_NODELAY.
    while (data.hasRemaining()) {
      channel.write(setRequest);
    }
    reply.clear();
    int lineEnd = readLine("set", key);
    if (lineEnd != MemcacheText.STORED.length || reply.position() != lineEnd
        || !replyHas(0, MemcacheText.STORED)) {
      throw unexpected("set", key, reply.position(), "'STORED\\r\\n'");
    }
  }

  /** Reads until the reply holds a whole first line; returns the index just past its '\n'. */
  private int readLine(String command, int key) throws IOException {
    int scanned = 0;
    while (true) {
      read(command, key);
      for (; scanned < reply.position(); scanned++) {
        if (reply.get(scanned) == '\n') {
          return scanned + 1;
        }
      }
      if (!reply.hasRemaining()) {
        throw unexpected(command, key, reply.position(), "a line within "
            + reply.capacity() + " bytes");
      }
    }
  }

  private void read(String command, int key) throws IOException {
    if (channel.read(reply) < 0) {
      throw new EOFException("memcached closed the connection during '" + command + " "
          + keys.key(key) + "' after " + reply.position() + " bytes of its reply: '"
          + MemcacheText.show(reply, 0, reply.position()) + "'");
    }
  }

  private boolean replyHas(int at, byte[] expected) {
    for (int i = 0; i < expected.length; i++) {
      if (reply.get(at + i) != expected[i]) {
        return false;
      }
    }
    return true;
  }

  private boolean replyHas(int at, ByteBuffer expected) {
    for (int i = 0; i < expected.capacity(); i++) {
      if (reply.get(at + i) != expected.get(i)) {
        return false;
      }
    }
    return true;
  }

  private IOException unexpected(String command, int key, int shownBytes, String expected) {
    return new IOException("memcached answered '" + command + " " + keys.key(key) + "' with '"
        + MemcacheText.show(reply, 0, shownBytes) + "', expected " + expected);
  }
}

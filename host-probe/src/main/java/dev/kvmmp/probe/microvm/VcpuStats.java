package dev.kvmmp.probe.microvm;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A vCPU's binary stats fd (KVM_GET_STATS_FD, Linux 5.14; layout in the kernel's
 * Documentation/virt/kvm/api.rst): the descriptors are read once, then each {@link #read()} is
 * one {@code pread} of the data block. Only single-value stats are kept (counters such as
 * {@code halt_exits}, {@code halt_successful_poll}, {@code halt_wait_ns}); histograms are
 * skipped.
 */
final class VcpuStats implements AutoCloseable {

  private static final int HEADER_SIZE = 24;
  private static final int DESC_FIXED_SIZE = 16;
  private static final int TYPE_MASK = 0xF;
  private static final int TYPE_LINEAR_HIST = 3;
  private static final int TYPE_LOG_HIST = 4;

  private final int fd;
  private final String what;
  private final long dataOffset;
  private final long dataSize;
  private final Map<String, Integer> offsets;
  private boolean closed;

  private VcpuStats(int fd, String what, long dataOffset, long dataSize,
      Map<String, Integer> offsets) {
    this.fd = fd;
    this.what = what;
    this.dataOffset = dataOffset;
    this.dataSize = dataSize;
    this.offsets = offsets;
  }

  /** Reads the descriptors of stats fd {@code fd} (owned from now on) of {@code what}. */
  static VcpuStats open(int fd, String what) throws KvmException {
    try {
      Memory header = pread(fd, what, HEADER_SIZE, 0);
      int nameSize = header.getInt(4);
      int count = header.getInt(8);
      long descOffset = Integer.toUnsignedLong(header.getInt(16));
      long dataOffset = Integer.toUnsignedLong(header.getInt(20));
      int descSize = DESC_FIXED_SIZE + nameSize;
      Memory descs = pread(fd, what, (long) count * descSize, descOffset);
      Map<String, Integer> offsets = new LinkedHashMap<>();
      long dataEnd = 0;
      for (int i = 0; i < count; i++) {
        long at = (long) i * descSize;
        int flags = descs.getInt(at);
        int size = descs.getShort(at + 6) & 0xFFFF;
        int offset = descs.getInt(at + 8);
        String name = descs.getString(at + DESC_FIXED_SIZE);
        dataEnd = Math.max(dataEnd, offset + (long) size * Long.BYTES);
        int type = flags & TYPE_MASK;
        if (size == 1 && type != TYPE_LINEAR_HIST && type != TYPE_LOG_HIST) {
          offsets.put(name, offset);
        }
      }
      return new VcpuStats(fd, what, dataOffset, dataEnd, Map.copyOf(offsets));
    } catch (KvmException e) {
      Fds.close(fd);
      throw e;
    }
  }

  /** The names of the stats kept. */
  Set<String> names() {
    return offsets.keySet();
  }

  /** Every kept stat's current value. */
  Map<String, Long> read() throws KvmException {
    Memory data = pread(fd, what, dataSize, dataOffset);
    Map<String, Long> values = new LinkedHashMap<>();
    offsets.forEach((name, offset) -> values.put(name, data.getLong(offset)));
    return values;
  }

  private static Memory pread(int fd, String what, long size, long offset)
      throws KvmException {
    Memory buffer = new Memory(Math.max(size, 1));
    long got;
    try {
      got = Libc.pread(fd, buffer, size, offset);
    } catch (LastErrorException e) {
      throw KvmException.of("pread(stats fd " + fd + " of " + what + ", " + size + " bytes at "
          + offset + ")", e);
    }
    if (got != size) {
      throw new KvmException("pread(stats fd " + fd + " of " + what + ", " + size + " bytes at "
          + offset + "): short read of " + got + " bytes");
    }
    return buffer;
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      Fds.close(fd);
    }
  }
}

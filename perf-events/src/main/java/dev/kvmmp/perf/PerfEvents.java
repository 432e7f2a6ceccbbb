package dev.kvmmp.perf;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Counting-only perf events through {@code perf_event_open(2)}, the way
 * {@code tools/kvm/kvm_stat} opens its counters: one per event and CPU, no sampling, no ring
 * buffer; the kernel adds to a number and {@code read(2)} returns it. Counters of one task can be
 * opened as a group ({@link #openGroupForTask}), as kvm_stat does per CPU, so that one {@code
 * read(2)} returns them all ({@link #readGroup}). Errors name the call, its arguments and errno.
 */
public final class PerfEvents {

  /** perf_event_attr.type for tracepoints; config is the tracepoint id from tracefs. */
  public static final int TYPE_TRACEPOINT = 2;
  /** perf_event_attr.type for software events. */
  public static final int TYPE_SOFTWARE = 1;
  /** PERF_COUNT_SW_CONTEXT_SWITCHES. */
  public static final long SW_CONTEXT_SWITCHES = 3;
  /** PERF_COUNT_SW_DUMMY: counts nothing; a group leader that any task can have. */
  private static final long SW_DUMMY = 9;

  private static final long SYS_PERF_EVENT_OPEN_X86_64 = 298;
  /** _IOW('$', 6, char *): PERF_EVENT_IOC_SET_FILTER. */
  private static final long IOC_SET_FILTER = 0x40082406L;
  /** PERF_ATTR_SIZE_VER7; fields past what we set stay zero: counting, enabled. */
  private static final int ATTR_SIZE = 128;
  private static final long FLAG_FD_CLOEXEC = 8;
  /** perf_event_attr.read_format PERF_FORMAT_GROUP: a read of the leader is {nr, values[nr]}. */
  private static final long FORMAT_GROUP = 1L << 3;
  private static final int READ_FORMAT_OFFSET = 32;
  /** {@link #open}'s groupFd for a counter on its own, and for a group's leader. */
  private static final int NO_GROUP = -1;
  private static final int LEADER = -2;

  private interface Libc extends Library {
    Libc INSTANCE = Native.load("c", Libc.class);

    long syscall(long number, Object... args);

    int ioctl(int fd, long request, String argument);

    long read(int fd, byte[] buffer, long count);

    int close(int fd);
  }

  /**
   * {@code read(2)} bound by JNA's direct mapping: a group is read every sample for every vCPU
   * thread, and the interface mapping above costs several times the system call itself.
   */
  private static final class DirectLibc {
    static {
      Native.register(NativeLibrary.getInstance("c"));
    }

    static native long read(int fd, Pointer buffer, long count) throws LastErrorException;
  }

  /** Native memory each thread reads groups into, grown to the largest group it read. */
  private static final ThreadLocal<Memory> GROUP_BUFFER = new ThreadLocal<>();

  private PerfEvents() {}

  /**
   * Opens a counter of {@code config} for every task on {@code cpu}, with an optional tracepoint
   * filter (e.g. {@code msr==0x830}).
   *
   * @return the counter's file descriptor
   * @throws PerfException naming the call and errno
   */
  public static int openOnCpu(int type, long config, int cpu, String filter)
      throws PerfException {
    return open(type, config, -1, cpu, filter, NO_GROUP);
  }

  /**
   * Opens a counter of {@code config} for one task (a thread id, e.g. a vCPU thread of a VMM) on
   * whatever CPU it runs, with an optional tracepoint filter (e.g. {@code ecx==0x830}).
   *
   * @return the counter's file descriptor
   * @throws PerfException naming the call and errno
   */
  public static int openForTask(int type, long config, int tid, String filter)
      throws PerfException {
    return open(type, config, tid, -1, filter, NO_GROUP);
  }

  /**
   * Opens the leader of a group of counters on one task: a counter of nothing, to which {@link
   * #openForTask(int, long, int, String, int)} adds members and whose {@link #readGroup} reads
   * them all at once.
   *
   * @return the leader's file descriptor
   * @throws PerfException naming the call and errno
   */
  public static int openGroupForTask(int tid) throws PerfException {
    return open(TYPE_SOFTWARE, SW_DUMMY, tid, -1, null, LEADER);
  }

  /**
   * Like {@link #openForTask(int, long, int, String)}, as a member of the group led by {@code
   * groupFd} ({@link #openGroupForTask} on the same task).
   */
  public static int openForTask(int type, long config, int tid, String filter, int groupFd)
      throws PerfException {
    if (groupFd < 0) {
      throw new IllegalArgumentException("groupFd must be a group leader's fd (>= 0), was "
          + groupFd);
    }
    return open(type, config, tid, -1, filter, groupFd);
  }

  private static int open(int type, long config, int tid, int cpu, String filter, int groupFd)
      throws PerfException {
    ByteBuffer attr = ByteBuffer.allocate(ATTR_SIZE).order(ByteOrder.nativeOrder());
    attr.putInt(0, type);
    attr.putInt(4, ATTR_SIZE);
    attr.putLong(8, config);
    if (groupFd != NO_GROUP) {
      attr.putLong(READ_FORMAT_OFFSET, FORMAT_GROUP);
    }
    long fd = Libc.INSTANCE.syscall(SYS_PERF_EVENT_OPEN_X86_64, attr.array(), tid, cpu,
        Math.max(groupFd, -1), FLAG_FD_CLOEXEC);
    if (fd < 0) {
      int errno = Native.getLastError();
      throw new PerfException("perf_event_open(type " + type + ", config " + config
          + (tid >= 0 ? ", task " + tid : ", cpu " + cpu)
          + (groupFd >= 0 ? ", group fd " + groupFd : "") + ") failed: errno " + errno
          + hint(errno));
    }
    if (filter != null && Libc.INSTANCE.ioctl((int) fd, IOC_SET_FILTER, filter) < 0) {
      int errno = Native.getLastError();
      Libc.INSTANCE.close((int) fd);
      throw new PerfException("ioctl(PERF_EVENT_IOC_SET_FILTER, \"" + filter + "\") on config "
          + config + " failed: errno " + errno);
    }
    return (int) fd;
  }

  /** The current value of a counter opened on its own (not in a group). */
  public static long read(int fd) throws PerfException {
    byte[] value = new byte[Long.BYTES];
    if (Libc.INSTANCE.read(fd, value, value.length) != value.length) {
      throw new PerfException("read(perf counter fd " + fd + ") failed: errno "
          + Native.getLastError());
    }
    return ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getLong();
  }

  /**
   * Every count of the group led by {@code leaderFd}, in one {@code read(2)}: {@code values[0]}
   * is the leader's own, then one per member in the order they were opened.
   *
   * @return how many values the kernel returned
   * @throws PerfException when the read fails or the group has more counters than {@code values}
   */
  public static int readGroup(int leaderFd, long[] values) throws PerfException {
    // PERF_FORMAT_GROUP: {u64 nr; u64 values[nr]}.
    long size = (long) Long.BYTES * (1 + values.length);
    Memory buffer = GROUP_BUFFER.get();
    if (buffer == null || buffer.size() < size) {
      buffer = new Memory(size);
      GROUP_BUFFER.set(buffer);
    }
    long read;
    try {
      read = DirectLibc.read(leaderFd, buffer, size);
    } catch (LastErrorException e) {
      int errno = e.getErrorCode();
      throw new PerfException("read(perf group leader fd " + leaderFd + ", " + size
          + " bytes) failed: errno " + errno + (errno == 28 ? " (ENOSPC: the group has more "
              + "than " + values.length + " counters)" : ""));
    }
    long count = read >= Long.BYTES ? buffer.getLong(0) : -1;
    if (count < 0 || count > values.length || read < Long.BYTES * (1 + count)) {
      throw new PerfException("read(perf group leader fd " + leaderFd + ") returned " + read
          + " bytes" + (count >= 0 ? " for " + count + " counters" : "") + ", not a group of at "
          + "most " + values.length);
    }
    buffer.read(Long.BYTES, values, 0, (int) count);
    return (int) count;
  }

  public static void close(int fd) {
    Libc.INSTANCE.close(fd);
  }

  private static String hint(int errno) {
    return switch (errno) {
      case 1, 13 -> " (EPERM/EACCES: counting another task's or every task's events needs root "
          + "or CAP_PERFMON)";
      case 3 -> " (ESRCH: no such task)";
      case 2 -> " (ENOENT: no such event on this kernel)";
      case 38 -> " (ENOSYS: perf events are not built into this kernel)";
      default -> "";
    };
  }
}

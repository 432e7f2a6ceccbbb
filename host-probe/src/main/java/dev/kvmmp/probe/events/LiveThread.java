package dev.kvmmp.probe.events;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Whether one thread still runs, from a {@code /proc/<tid>/comm} file kept open: the open file is
 * bound to that very thread, so once it has exited a read fails (ESRCH) even if its id was reused
 * meanwhile. Needed because neither {@code read(2)} nor {@code poll(2)} on a counting perf fd says
 * its task exited: the read returns the frozen last count, and poll reports POLLHUP for any
 * counter without a ring buffer. One {@code pread(2)}, no path lookup, per check.
 */
final class LiveThread implements AutoCloseable {

  private final int tid;
  private final FileChannel comm;
  private final ByteBuffer buffer = ByteBuffer.allocateDirect(64);

  private LiveThread(int tid, FileChannel comm) {
    this.tid = tid;
    this.comm = comm;
  }

  /**
   * Opens {@code proc/<tid>/comm}.
   *
   * @throws IllegalArgumentException when no such thread exists
   */
  static LiveThread open(Path proc, int tid) {
    Path comm = proc.resolve(Integer.toString(tid)).resolve("comm");
    try {
      return new LiveThread(tid, FileChannel.open(comm, StandardOpenOption.READ));
    } catch (IOException e) {
      throw new IllegalArgumentException("vCPU thread " + tid + ": no such thread (cannot open "
          + comm + ": " + e.getMessage() + ")", e);
    }
  }

  int tid() {
    return tid;
  }

  /** True while the thread this was opened for has not exited. */
  boolean alive() {
    buffer.clear();
    try {
      return comm.read(buffer, 0) > 0;
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public void close() {
    try {
      comm.close();
    } catch (IOException e) {
      // Nothing was written through it; nothing is lost.
    }
  }
}

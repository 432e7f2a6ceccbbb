package dev.kvmmp.worker.placement;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;

/**
 * The few Linux calls that thread placement needs, through JNA. Errors name the call, its
 * arguments and errno.
 */
final class LinuxThreads {

  private static final class Libc {
    static {
      Native.register("c");
    }

    static native int gettid() throws LastErrorException;

    static native int sched_setaffinity(int tid, long size, long[] mask)
        throws LastErrorException;

    static native int sched_getaffinity(int tid, long size, long[] mask)
        throws LastErrorException;
  }

  /** Room for 4096 CPUs, the most a spec may name. */
  static final int MASK_WORDS = 64;

  private LinuxThreads() {}

  /** The calling thread's kernel thread id. */
  static int currentTid() {
    return Libc.gettid();
  }

  static void setAffinity(int tid, long[] mask) {
    try {
      Libc.sched_setaffinity(tid, (long) mask.length * Long.BYTES, mask);
    } catch (LastErrorException e) {
      throw new IllegalStateException("sched_setaffinity(" + tid + ", " + CpuMasks.describe(mask)
          + ") failed: errno " + e.getErrorCode() + " (" + e.getMessage() + ")", e);
    }
  }

  static long[] getAffinity(int tid) {
    long[] mask = new long[MASK_WORDS];
    try {
      Libc.sched_getaffinity(tid, (long) mask.length * Long.BYTES, mask);
    } catch (LastErrorException e) {
      throw new IllegalStateException("sched_getaffinity(" + tid + ") failed: errno "
          + e.getErrorCode() + " (" + e.getMessage() + ")", e);
    }
    return mask;
  }
}

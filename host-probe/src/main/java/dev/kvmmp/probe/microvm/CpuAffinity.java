package dev.kvmmp.probe.microvm;

import com.sun.jna.LastErrorException;
import java.util.ArrayList;
import java.util.List;

/**
 * Thread placement for vCPU threads, through {@code sched_setaffinity}; the same calls as the
 * guest-worker's PinnedThread, which the host-probe does not depend on. vCPU threads live for one
 * run, so nothing is put back.
 */
final class CpuAffinity {

  private static final int MASK_WORDS = 64;

  private CpuAffinity() {}

  /** Pins the calling thread to {@code cpu}. */
  static void pinCurrentThread(int cpu) throws KvmException {
    long[] mask = new long[MASK_WORDS];
    mask[cpu / 64] |= 1L << (cpu % 64);
    int tid = Libc.gettid();
    try {
      Libc.sched_setaffinity(tid, (long) MASK_WORDS * Long.BYTES, mask);
    } catch (LastErrorException e) {
      throw KvmException.of("sched_setaffinity(thread " + tid + ", {" + cpu + "})", e);
    }
  }

  /** The CPUs this process's calling thread may run on, ascending. */
  static List<Integer> allowedCpus() throws KvmException {
    long[] mask = new long[MASK_WORDS];
    try {
      Libc.sched_getaffinity(0, (long) MASK_WORDS * Long.BYTES, mask);
    } catch (LastErrorException e) {
      throw KvmException.of("sched_getaffinity(0)", e);
    }
    List<Integer> cpus = new ArrayList<>();
    for (int cpu = 0; cpu < MASK_WORDS * 64; cpu++) {
      if ((mask[cpu / 64] & (1L << (cpu % 64))) != 0) {
        cpus.add(cpu);
      }
    }
    return cpus;
  }
}

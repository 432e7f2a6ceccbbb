package dev.kvmmp.worker.placement;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The calling thread pinned to one vCPU until {@link #close()}, which puts back the affinity it
 * had: worker threads are reused across runs, and the next run must not inherit this one's
 * placement. {@link #NONE} stands for a thread left to the scheduler.
 */
public final class PinnedThread implements AutoCloseable {

  /** Not pinned: nothing to check, nothing to put back. */
  public static final PinnedThread NONE = new PinnedThread(-1, -1, null);

  private final int tid;
  private final int cpu;
  private final long[] previous;

  private PinnedThread(int tid, int cpu, long[] previous) {
    this.tid = tid;
    this.cpu = cpu;
    this.previous = previous;
  }

  /**
   * Pins the calling thread to {@code cpu} and checks that it now runs there.
   *
   * @throws IllegalStateException if the kernel refuses, or the thread is not on {@code cpu}
   *     after the call (a cpuset or an offline vCPU)
   */
  public static PinnedThread pinCurrentThread(int cpu) {
    int tid = LinuxThreads.currentTid();
    long[] previous = LinuxThreads.getAffinity(tid);
    LinuxThreads.setAffinity(tid, CpuMasks.of(cpu));
    PinnedThread pinned = new PinnedThread(tid, cpu, previous);
    // sched_setaffinity migrates the caller before returning, so it must now be on cpu.
    int now = pinned.lastCpu();
    if (now != cpu) {
      pinned.close();
      throw new IllegalStateException("thread " + tid + " pinned to vCPU " + cpu
          + " but runs on vCPU " + now);
    }
    return pinned;
  }

  /** The pinned thread's id; for {@link #NONE}, the calling thread's. */
  public int tid() {
    return this == NONE ? currentTid() : tid;
  }

  /**
   * Confines another task (a thread of a native peer, say) to {@code cpu}, for good: nothing is
   * put back, the task is not ours to keep.
   */
  public static void pinTask(int tid, int cpu) {
    LinuxThreads.setAffinity(tid, CpuMasks.of(cpu));
  }

  /** The calling thread's kernel thread id (gettid). */
  public static int currentTid() {
    return LinuxThreads.currentTid();
  }

  public int cpu() {
    return cpu;
  }

  /** The CPU the thread last ran on: field 39 of /proc/self/task/TID/stat. */
  public int lastCpu() {
    return lastCpuOf(tid);
  }

  /**
   * Whether task {@code tid} (a thread of this process, or another process's main thread) may
   * run only on {@code cpu} and last ran there.
   */
  public static boolean confinedTo(int tid, int cpu) {
    return CpuMasks.cpus(LinuxThreads.getAffinity(tid)).equals(List.of(cpu))
        && lastCpuOf(tid) == cpu;
  }

  /** Whether the thread is still confined to its vCPU (nothing has moved it). */
  public boolean stillPinned() {
    return this == NONE || confinedTo(tid, cpu);
  }

  /** Field 39 ("processor") of a task's stat file; /proc/TID works for any task id. */
  public static int lastCpuOf(int tid) {
    Path stat = Path.of("/proc/" + tid + "/stat");
    try {
      return TaskStat.processor(Files.readString(stat));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + stat + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    if (previous != null) {
      LinuxThreads.setAffinity(tid, previous);
    }
  }
}

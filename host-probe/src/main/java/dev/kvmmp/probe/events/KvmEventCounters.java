package dev.kvmmp.probe.events;

import dev.kvmmp.perf.PerfEvents;
import dev.kvmmp.perf.PerfException;
import dev.kvmmp.perf.Tracefs;
import dev.kvmmp.proto.v1.VmCounters;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Counts of kvm tracepoints for one VM, kept by the kernel per vCPU thread with {@code
 * perf_event_open} (as {@code kvm_stat} does): exits by reason, MSR writes by MSR, emulated IPIs,
 * halt wakeups (slept or caught by polling) and halt-poll changes. Nothing is streamed; the
 * counters of one thread form a group, so that a reading is one {@code read(2)} per thread.
 *
 * <p>A counter that cannot be opened (no such tracepoint, a filter the kernel rejects, no
 * permission) is listed in {@link #missing()} with the reason and left out of {@link #fill}, never
 * reported as 0; the others still count. Every fd is released by {@link #close()}.
 */
public final class KvmEventCounters implements AutoCloseable {

  /** A counter that could not be opened, and why. */
  public record Missing(String counter, String reason) {}

  /** A counter open on every vCPU thread: fds in the order of {@link #threads}. */
  private record Opened(CounterSpec spec, int[] fds) {}

  private static final Path PROC = Path.of("/proc");

  private final List<Integer> threads;
  /** Each thread's liveness: a thread that exited reads on, frozen. */
  private final List<LiveThread> live;
  /** Each thread's group leader, whose read returns every opened counter of that thread. */
  private final int[] leaders;
  private final List<Opened> opened;
  private final List<Missing> missing;
  private final long[] groupValues;
  private boolean closed;

  private KvmEventCounters(List<Integer> threads, List<LiveThread> live, int[] leaders,
      List<Opened> opened, List<Missing> missing) {
    this.threads = threads;
    this.live = live;
    this.leaders = leaders;
    this.opened = opened;
    this.missing = missing;
    // The leader's own value comes first; one more slot lets a surprise member show as such.
    this.groupValues = new long[opened.size() + 2];
  }

  /**
   * Opens the counters of a VM whose vCPUs run on {@code vcpuThreadIds} (QMP {@code
   * query-cpus-fast} gives them for QEMU), on a host of {@code isa} ("vmx" or "svm").
   *
   * @throws IllegalArgumentException for an unknown isa, no threads, or a thread that does not
   *     exist
   */
  public static KvmEventCounters open(List<Integer> vcpuThreadIds, String isa) {
    Optional<Tracefs> tracefs = Tracefs.find();
    try {
      return open(vcpuThreadIds, isa, tracefs);
    } finally {
      tracefs.ifPresent(Tracefs::close);
    }
  }

  static KvmEventCounters open(List<Integer> vcpuThreadIds, String isa,
      Optional<Tracefs> tracefs) {
    List<CounterSpec> specs = CounterSpec.forIsa(isa);
    if (vcpuThreadIds.isEmpty()) {
      throw new IllegalArgumentException("vcpuThreadIds: empty, expected one thread per vCPU");
    }
    List<Integer> threads = List.copyOf(vcpuThreadIds);
    List<LiveThread> live = new ArrayList<>();
    int[] leaders = null;
    List<Opened> opened = new ArrayList<>();
    List<Missing> missing = new ArrayList<>();
    try {
      for (int tid : threads) {
        live.add(LiveThread.open(PROC, tid));
      }
      for (CounterSpec spec : specs) {
        if (tracefs.isEmpty()) {
          missing.add(new Missing(spec.label(), "no tracefs to find tracepoint ids (needs root "
              + "to mount it at /sys/kernel/tracing)"));
          continue;
        }
        OptionalInt id = tracefs.get().eventId(CounterSpec.SYSTEM, spec.event());
        if (id.isEmpty()) {
          missing.add(new Missing(spec.label(), "no tracepoint " + CounterSpec.SYSTEM + ":"
              + spec.event() + " on this kernel"));
          continue;
        }
        try {
          if (leaders == null) {
            leaders = openLeaders(threads);
          }
          opened.add(new Opened(spec, openOnEveryThread(id.getAsInt(), spec, threads, leaders)));
        } catch (PerfException e) {
          missing.add(new Missing(spec.label(), e.getMessage()));
        }
      }
    } catch (RuntimeException e) {
      closeAll(live, leaders, opened);
      throw e;
    }
    if (opened.isEmpty() && leaders != null) {
      closeAll(List.of(), leaders, List.of());
      leaders = null;
    }
    return new KvmEventCounters(threads, List.copyOf(live), leaders, List.copyOf(opened),
        List.copyOf(missing));
  }

  private static int[] openLeaders(List<Integer> threads) throws PerfException {
    int[] leaders = new int[threads.size()];
    for (int i = 0; i < leaders.length; i++) {
      try {
        leaders[i] = PerfEvents.openGroupForTask(threads.get(i));
      } catch (PerfException e) {
        closeAll(List.of(), Arrays.copyOf(leaders, i), List.of());
        throw new PerfException("group leader on vCPU thread " + threads.get(i) + ": "
            + e.getMessage());
      }
    }
    return leaders;
  }

  /** All or nothing: a count over some of the VM's vCPUs would pass for the VM's. */
  private static int[] openOnEveryThread(int id, CounterSpec spec, List<Integer> threads,
      int[] leaders) throws PerfException {
    int[] fds = new int[threads.size()];
    for (int i = 0; i < fds.length; i++) {
      try {
        // Closing a member takes it out of its group; the others keep their order.
        fds[i] = PerfEvents.openForTask(PerfEvents.TYPE_TRACEPOINT, id, threads.get(i),
            spec.filter(), leaders[i]);
      } catch (PerfException e) {
        for (int j = 0; j < i; j++) {
          PerfEvents.close(fds[j]);
        }
        throw e;
      }
    }
    return fds;
  }

  /** The counters that could not be opened, with why; empty when all count. */
  public List<Missing> missing() {
    return missing;
  }

  /** The vCPU threads counted. */
  public List<Integer> threads() {
    return threads;
  }

  /**
   * Adds the cumulative counts, summed over the vCPU threads, to {@code counters}: {@code
   * exits_by_reason}, {@code msr_writes} (ICR, TMICT, TSC_DEADLINE, EOI, and ALL as msr 0) and
   * {@code events}. Missing counters are left out.
   *
   * @throws PerfException when a vCPU thread has exited (the VM is gone) or a read fails, naming
   *     the thread; nothing is added then
   */
  public synchronized VmCounters.Builder fill(VmCounters.Builder counters) throws PerfException {
    if (closed) {
      throw new IllegalStateException("kvm event counters of threads " + threads + ": closed");
    }
    checkThreadsAlive();
    long[] sums = new long[opened.size()];
    if (leaders != null) {
      for (int t = 0; t < leaders.length; t++) {
        readGroup(t, sums);
      }
    }
    for (int c = 0; c < sums.length; c++) {
      opened.get(c).spec().sink().accept(counters, sums[c]);
    }
    return counters;
  }

  /** Adds thread {@code t}'s counts to {@code sums}: its leader's value first, then in order. */
  private void readGroup(int t, long[] sums) throws PerfException {
    String where = "kvm event counters on vCPU thread " + threads.get(t);
    int count;
    try {
      count = PerfEvents.readGroup(leaders[t], groupValues);
    } catch (PerfException e) {
      throw new PerfException(where + ": " + e.getMessage());
    }
    if (count != opened.size() + 1) {
      throw new PerfException(where + ": the group read returned " + count + " values, expected "
          + (opened.size() + 1) + " (leader and " + opened.size() + " counters)");
    }
    for (int c = 0; c < sums.length; c++) {
      sums[c] += groupValues[c + 1];
    }
  }

  private void checkThreadsAlive() throws PerfException {
    for (LiveThread thread : live) {
      if (!thread.alive()) {
        throw new PerfException("vCPU thread " + thread.tid() + " has exited (VM gone?): its "
            + "counters stopped; reopen them for the VM's current vCPU threads");
      }
    }
  }

  /** Releases every counter's fd; idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    closeAll(live, leaders, opened);
  }

  /** Members before their leaders, so that no member is left a group of its own meanwhile. */
  private static void closeAll(List<LiveThread> live, int[] leaders, List<Opened> opened) {
    for (Opened counter : opened) {
      for (int fd : counter.fds()) {
        PerfEvents.close(fd);
      }
    }
    if (leaders != null) {
      for (int fd : leaders) {
        PerfEvents.close(fd);
      }
    }
    live.forEach(LiveThread::close);
  }
}

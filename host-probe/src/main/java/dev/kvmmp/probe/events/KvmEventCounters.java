package dev.kvmmp.probe.events;

import dev.kvmmp.perf.PerfEvents;
import dev.kvmmp.perf.PerfException;
import dev.kvmmp.perf.Tracefs;
import dev.kvmmp.proto.v1.VmCounters;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Counts of kvm tracepoints for one VM, kept by the kernel per vCPU thread with {@code
 * perf_event_open} (as {@code kvm_stat} does): exits by reason, MSR writes by MSR, emulated IPIs,
 * halt wakeups (slept or caught by polling) and halt-poll changes. Nothing is streamed; a reading
 * is one {@code read(2)} per counter and thread.
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
  /** Each thread's start time when opened: a thread that exited reads on, frozen. */
  private final long[] threadStarts;
  private final List<Opened> opened;
  private final List<Missing> missing;
  private boolean closed;

  private KvmEventCounters(List<Integer> threads, long[] threadStarts, List<Opened> opened,
      List<Missing> missing) {
    this.threads = threads;
    this.threadStarts = threadStarts;
    this.opened = opened;
    this.missing = missing;
  }

  /**
   * Opens the counters of a VM whose vCPUs run on {@code vcpuThreadIds} (QMP {@code
   * query-cpus-fast} gives them for QEMU), on a host of {@code isa} ("vmx" or "svm").
   *
   * @throws IllegalArgumentException for an unknown isa, no threads, or a thread that does not
   *     exist
   */
  public static KvmEventCounters open(List<Integer> vcpuThreadIds, String isa) {
    return open(vcpuThreadIds, isa, Tracefs.find());
  }

  static KvmEventCounters open(List<Integer> vcpuThreadIds, String isa,
      Optional<Tracefs> tracefs) {
    List<CounterSpec> specs = CounterSpec.forIsa(isa);
    if (vcpuThreadIds.isEmpty()) {
      throw new IllegalArgumentException("vcpuThreadIds: empty, expected one thread per vCPU");
    }
    List<Integer> threads = List.copyOf(vcpuThreadIds);
    long[] threadStarts = new long[threads.size()];
    for (int t = 0; t < threadStarts.length; t++) {
      int tid = threads.get(t);
      threadStarts[t] = ThreadStart.of(PROC, tid).orElseThrow(() -> new IllegalArgumentException(
          "vCPU thread " + tid + ": no such thread (" + PROC.resolve(tid + "/stat") + ")"));
    }
    List<Opened> opened = new ArrayList<>();
    List<Missing> missing = new ArrayList<>();
    for (CounterSpec spec : specs) {
      if (tracefs.isEmpty()) {
        missing.add(new Missing(spec.label(), "no tracefs to find tracepoint ids (needs root to "
            + "mount it at /sys/kernel/tracing)"));
        continue;
      }
      OptionalInt id = tracefs.get().eventId(CounterSpec.SYSTEM, spec.event());
      if (id.isEmpty()) {
        missing.add(new Missing(spec.label(), "no tracepoint " + CounterSpec.SYSTEM + ":"
            + spec.event() + " on this kernel"));
        continue;
      }
      try {
        opened.add(new Opened(spec, openOnEveryThread(id.getAsInt(), spec, threads)));
      } catch (PerfException e) {
        missing.add(new Missing(spec.label(), e.getMessage()));
      }
    }
    return new KvmEventCounters(threads, threadStarts, List.copyOf(opened), List.copyOf(missing));
  }

  /** All or nothing: a count over some of the VM's vCPUs would pass for the VM's. */
  private static int[] openOnEveryThread(int id, CounterSpec spec, List<Integer> threads)
      throws PerfException {
    int[] fds = new int[threads.size()];
    for (int i = 0; i < fds.length; i++) {
      try {
        fds[i] = PerfEvents.openForTask(PerfEvents.TYPE_TRACEPOINT, id, threads.get(i),
            spec.filter());
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
    for (int c = 0; c < sums.length; c++) {
      Opened counter = opened.get(c);
      for (int t = 0; t < threads.size(); t++) {
        sums[c] += read(counter, t);
      }
    }
    for (int c = 0; c < sums.length; c++) {
      opened.get(c).spec().sink().accept(counters, sums[c]);
    }
    return counters;
  }

  private long read(Opened counter, int thread) throws PerfException {
    int fd = counter.fds()[thread];
    String where = counter.spec().label() + " on vCPU thread " + threads.get(thread);
    try {
      return PerfEvents.read(fd);
    } catch (PerfException e) {
      throw new PerfException(where + ": " + e.getMessage());
    }
  }

  private void checkThreadsAlive() throws PerfException {
    for (int t = 0; t < threadStarts.length; t++) {
      OptionalLong now = ThreadStart.of(PROC, threads.get(t));
      if (now.isEmpty() || now.getAsLong() != threadStarts[t]) {
        throw new PerfException("vCPU thread " + threads.get(t) + " has exited (VM gone?): its "
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
    for (Opened counter : opened) {
      for (int fd : counter.fds()) {
        PerfEvents.close(fd);
      }
    }
  }
}

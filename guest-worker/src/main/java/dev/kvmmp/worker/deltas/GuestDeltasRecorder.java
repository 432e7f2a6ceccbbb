package dev.kvmmp.worker.deltas;

import dev.kvmmp.proto.v1.CpuDeltas;
import dev.kvmmp.proto.v1.GuestDeltas;
import dev.kvmmp.worker.workload.RunContext;
import dev.kvmmp.worker.workload.WindowObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Snapshots the guest's own counters when a run's window opens and closes, and gives their
 * deltas: timer and IPI interrupts and steal time of the run's vCPUs, and the CPU time and
 * context switches of the run's tasks. The snapshots read a few small /proc files on the timing
 * thread, outside the window.
 */
public final class GuestDeltasRecorder implements WindowObserver, RunContext.TaskRegistry {

  private final Path proc;
  private final List<Integer> cpus;
  private final Set<Integer> tasks = ConcurrentHashMap.newKeySet();
  private Snapshot opened;
  private Snapshot closed;

  private record Snapshot(InterruptCounts interrupts, StealTime steal,
      Map<Integer, TaskCounters> tasks) {}

  /**
   * @param proc where /proc is (tests pass a fixture)
   * @param cpus the vCPUs the run is pinned to; all online vCPUs when unpinned
   */
  public GuestDeltasRecorder(Path proc, List<Integer> cpus) {
    this.proc = proc;
    this.cpus = List.copyOf(cpus);
  }

  @Override
  public void involve(int tid) {
    tasks.add(tid);
  }

  @Override
  public void windowOpens() {
    opened = snapshot();
  }

  @Override
  public void windowClosed() {
    closed = snapshot();
  }

  /** The deltas of the window; empty when the window never opened or closed. */
  public GuestDeltas deltas() {
    if (opened == null || closed == null) {
      return GuestDeltas.getDefaultInstance();
    }
    GuestDeltas.Builder deltas = GuestDeltas.newBuilder();
    for (int cpu : cpus) {
      CpuDeltas perCpu = CpuDeltas.newBuilder()
          .setCpu(cpu)
          .setLocalTimerInterrupts(delta("LOC", cpu))
          .setRescheduleIpis(delta("RES", cpu))
          .setCallFunctionIpis(delta("CAL", cpu))
          .setStealNs(closed.steal().nanos(cpu) - opened.steal().nanos(cpu))
          .build();
      deltas.addPerCpu(perCpu)
          .setLocalTimerInterrupts(deltas.getLocalTimerInterrupts()
              + perCpu.getLocalTimerInterrupts())
          .setRescheduleIpis(deltas.getRescheduleIpis() + perCpu.getRescheduleIpis())
          .setCallFunctionIpis(deltas.getCallFunctionIpis() + perCpu.getCallFunctionIpis())
          .setStealNs(deltas.getStealNs() + perCpu.getStealNs());
    }
    TaskCounters tasksTotal = TaskCounters.GONE;
    for (Map.Entry<Integer, TaskCounters> task : closed.tasks().entrySet()) {
      // A task involved after the window opened has no opening snapshot: it adds nothing.
      TaskCounters atOpen = opened.tasks().getOrDefault(task.getKey(), task.getValue());
      TaskCounters delta = task.getValue().minus(atOpen);
      tasksTotal = new TaskCounters(tasksTotal.contextSwitches() + delta.contextSwitches(),
          tasksTotal.cpuNanos() + delta.cpuNanos());
    }
    return deltas
        .setWorkerCpuNs(tasksTotal.cpuNanos())
        .setContextSwitches(tasksTotal.contextSwitches())
        .build();
  }

  private long delta(String row, int cpu) {
    return closed.interrupts().count(row, cpu) - opened.interrupts().count(row, cpu);
  }

  private Snapshot snapshot() {
    try {
      Map<Integer, TaskCounters> counters = new TreeMap<>();
      for (int tid : tasks) {
        counters.put(tid, TaskCounters.of(proc.resolve(Integer.toString(tid))));
      }
      return new Snapshot(InterruptCounts.read(proc.resolve("interrupts")),
          StealTime.read(proc.resolve("stat")), counters);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read guest counters under " + proc, e);
    }
  }
}

package dev.kvmmp.worker.workload;

import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.worker.placement.PlacementPlan;

/**
 * Everything a workload needs for one run: the run, its window, where its sides go, the control
 * it shares with the worker, and the observer to call around the measured window.
 */
public record RunContext(Run run, Window window, PlacementPlan placement, RunControl control,
    WindowObserver observer, TaskRegistry tasks) {

  /** Tasks (threads or processes) doing the workload's work, whose switches are counted. */
  public interface TaskRegistry {

    TaskRegistry NONE = tid -> { };

    /** A thread id or a process id whose context switches belong to this run. */
    void involve(int tid);
  }
}

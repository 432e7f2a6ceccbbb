package dev.kvmmp.worker.deltas;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Per-task counters from /proc/TID: context switches (voluntary plus involuntary, from
 * {@code status}) and time on CPU in ns (the first field of {@code schedstat}, exact where the
 * process-wide CPU clocks tick at 10 ms). A task that has gone away counts as 0.
 */
public record TaskCounters(long contextSwitches, long cpuNanos) {

  static final TaskCounters GONE = new TaskCounters(0, 0);

  /** @param task the task's directory, e.g. /proc/4242 */
  public static TaskCounters of(Path task) {
    try {
      long switches = 0;
      for (String line : Files.readAllLines(task.resolve("status"))) {
        if (line.startsWith("voluntary_ctxt_switches:")
            || line.startsWith("nonvoluntary_ctxt_switches:")) {
          switches += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
        }
      }
      String schedstat = Files.readString(task.resolve("schedstat")).trim();
      long cpuNanos = Long.parseLong(schedstat.substring(0, schedstat.indexOf(' ')));
      return new TaskCounters(switches, cpuNanos);
    } catch (IOException | RuntimeException e) {
      return GONE;
    }
  }

  TaskCounters minus(TaskCounters earlier) {
    return new TaskCounters(contextSwitches - earlier.contextSwitches,
        cpuNanos - earlier.cpuNanos);
  }
}

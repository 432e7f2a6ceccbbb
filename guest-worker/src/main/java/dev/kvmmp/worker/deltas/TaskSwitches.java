package dev.kvmmp.worker.deltas;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Voluntary plus involuntary context switches of one task, from {@code /proc/TID/status}; a
 * task that has gone away counts as 0.
 */
public final class TaskSwitches {

  private TaskSwitches() {}

  public static long of(Path status) {
    try {
      long switches = 0;
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("voluntary_ctxt_switches:")
            || line.startsWith("nonvoluntary_ctxt_switches:")) {
          switches += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
        }
      }
      return switches;
    } catch (IOException e) {
      return 0;
    }
  }
}

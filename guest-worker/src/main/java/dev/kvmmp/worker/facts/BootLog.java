package dev.kvmmp.worker.facts;

import java.util.List;

/**
 * The kernel's boot log, where KVM guests record the paravirtual features they set up. A seam:
 * production runs {@code dmesg} ({@link DmesgBootLog}), tests read a captured file.
 */
public interface BootLog {

  /** The log lines, or an empty list when the log cannot be read; never blocks for long. */
  List<String> lines();

  /**
   * This log read once and remembered: the lines kvmmp looks for are written at boot, and
   * facts are read again with every result.
   */
  default BootLog once() {
    List<String> lines = List.copyOf(lines());
    return () -> lines;
  }
}

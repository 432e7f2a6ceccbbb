package dev.kvmmp.worker.facts;

import java.util.List;

/**
 * The kernel's boot log, where KVM guests record the paravirtual features they set up. A seam:
 * production runs {@code dmesg} ({@link DmesgBootLog}), tests read a captured file.
 */
public interface BootLog {

  /** The log lines, or an empty list when the log cannot be read; never blocks for long. */
  List<String> lines();
}

package dev.kvmmp.probe.microvm;

import java.util.List;

/** Where the two vCPU threads of the ipi_halt VM run on the host. */
public enum Placement {
  /** Both on one host CPU: a wake-up is a context switch, no cross-CPU IPI on the host. */
  SAME_CPU("same"),
  /** On two host CPUs: every wake-up crosses CPUs, as the talk's measurement does. */
  DIFFERENT_CPUS("different");

  private final String label;

  Placement(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /**
   * The host CPUs of vCPU A and vCPU B, the lowest of {@code allowed}.
   *
   * @throws IllegalArgumentException when {@code allowed} has too few CPUs
   */
  List<Integer> cpus(List<Integer> allowed) {
    int needed = this == SAME_CPU ? 1 : 2;
    if (allowed.size() < needed) {
      throw new IllegalArgumentException("placement " + label + ": needs " + needed
          + " host CPUs, this process may use " + allowed);
    }
    return this == SAME_CPU ? List.of(allowed.get(0), allowed.get(0))
        : List.of(allowed.get(0), allowed.get(1));
  }
}

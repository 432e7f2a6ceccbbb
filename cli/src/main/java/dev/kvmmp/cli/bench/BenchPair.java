package dev.kvmmp.cli.bench;

import dev.kvmmp.proto.v1.Workload;
import java.util.Optional;

/**
 * A kvmmp workload and the native tool that measures the same thing, with the statistic both
 * report and, where they differ in what they measure, a note for the reader.
 *
 * @param workload the workload without placement; each trial adds its own
 */
public record BenchPair(String name, Workload workload, NativePeer peer, Statistic statistic,
    Optional<String> note) {

  public BenchPair {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    if (workload == null || peer == null || statistic == null || note == null) {
      throw new IllegalArgumentException("pair '" + name + "': workload, peer, statistic and "
          + "note must be set (note may be empty)");
    }
  }

  /** The workload placed for one trial. */
  public Workload placed(BenchPlacement placement) {
    return workload.toBuilder()
        .setPlacement(placement.proto())
        .clearCpus()
        .addAllCpus(placement.cpus())
        .build();
  }
}

package dev.kvmmp.cli.reproduce;

import dev.kvmmp.proto.v1.Placement;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.spec.WorkloadKinds;
import java.util.function.Predicate;

/** Which runs a finding compares: by workload kind, placement and fleet. */
final class RunKinds {

  private RunKinds() {}

  /** The workload kind as specs name it: "tcp_rr", "memcache", "condvar", "ipi_halt". */
  static String kind(Run run) {
    return WorkloadKinds.of(run.getWorkload());
  }

  static Predicate<Run> of(String kind, Placement placement) {
    return run -> kind(run).equals(kind) && run.getWorkload().getPlacement() == placement;
  }

  static Predicate<Run> of(String kind, Placement placement, String fleet) {
    return of(kind, placement).and(run -> run.getFleet().equals(fleet));
  }

  /** A micro-VM's placement in words: where its two vCPU threads ran on the host. */
  static String hostCpus(Placement placement) {
    return placement == Placement.PLACEMENT_SAME_CPU ? "one host CPU" : "two host CPUs";
  }
}

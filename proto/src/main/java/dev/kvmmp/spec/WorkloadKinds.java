package dev.kvmmp.spec;

import dev.kvmmp.proto.v1.Workload;
import java.util.Locale;
import java.util.Set;

/** The name of a workload's kind as workers advertise it ("tcp_rr", "memcache", ...). */
public final class WorkloadKinds {

  /** Kinds a host-probe runs on its host, not a guest-worker in a VM. */
  public static final Set<String> HOST_WORKLOADS = Set.of("ipi_halt");

  private WorkloadKinds() {}

  public static String of(Workload workload) {
    return workload.getKindCase().name().toLowerCase(Locale.ROOT);
  }

  /** True when a host-probe runs {@code workload} (on probes, not on workers). */
  public static boolean isHost(Workload workload) {
    return HOST_WORKLOADS.contains(of(workload));
  }
}

package dev.kvmmp.coordinator.scheduling;

import dev.kvmmp.proto.v1.ExperimentSpec;
import dev.kvmmp.proto.v1.Fleet;
import dev.kvmmp.proto.v1.Workload;
import dev.kvmmp.spec.WorkloadKinds;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Which targets may run a workload for a fleet, and why none can: guest workloads go to
 * workers, host workloads (ipi_halt) to probes.
 */
public final class Eligibility {

  private Eligibility() {}

  public static boolean canRun(RunTarget target, Fleet fleet, Workload workload) {
    return new LabelSelector(fleet.getSelectorMap()).matches(target.labels())
        && target.supports(WorkloadKinds.of(workload));
  }

  /**
   * Checks that every (workload, fleet) pair of a spec has at least one connected target.
   *
   * @return why the first pair that cannot run cannot, or empty when all can
   */
  public static Optional<String> unrunnable(ExperimentSpec spec,
      Collection<? extends RunTarget> workers, Collection<? extends RunTarget> probes) {
    for (Fleet fleet : spec.getFleetsList()) {
      LabelSelector selector = new LabelSelector(fleet.getSelectorMap());
      for (int i = 0; i < spec.getWorkloadsCount(); i++) {
        Workload workload = spec.getWorkloads(i);
        String kind = WorkloadKinds.of(workload);
        boolean host = WorkloadKinds.isHost(workload);
        Collection<? extends RunTarget> targets = host ? probes : workers;
        String noun = host ? "probe" : "worker";
        List<? extends RunTarget> matching = targets.stream()
            .filter(t -> selector.matches(t.labels()))
            .toList();
        if (matching.stream().noneMatch(t -> t.supports(kind))) {
          return Optional.of(String.format(
              "fleet '%s': no connected %s can run workloads[%d] (%s): %d %s(s) online, "
                  + "%d matching the selector %s, none of those running %s",
              fleet.getName(), noun, i, kind, targets.size(), noun, matching.size(), selector,
              kind));
        }
      }
    }
    return Optional.empty();
  }
}

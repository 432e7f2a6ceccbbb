package dev.kvmmp.coordinator.scheduling;

import dev.kvmmp.coordinator.workers.ConnectedWorker;
import dev.kvmmp.proto.v1.ExperimentSpec;
import dev.kvmmp.proto.v1.Fleet;
import dev.kvmmp.proto.v1.Workload;
import dev.kvmmp.spec.WorkloadKinds;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Which workers may run a workload for a fleet, and why none can. */
public final class Eligibility {

  private Eligibility() {}

  public static boolean canRun(ConnectedWorker worker, Fleet fleet, Workload workload) {
    return new LabelSelector(fleet.getSelectorMap()).matches(worker.labels())
        && worker.supports(WorkloadKinds.of(workload));
  }

  /**
   * Checks that every (workload, fleet) pair of a spec has at least one connected worker.
   *
   * @return why the first pair that cannot run cannot, or empty when all can
   */
  public static Optional<String> unrunnable(ExperimentSpec spec,
      Collection<ConnectedWorker> workers) {
    for (Fleet fleet : spec.getFleetsList()) {
      LabelSelector selector = new LabelSelector(fleet.getSelectorMap());
      List<ConnectedWorker> matching = workers.stream()
          .filter(w -> selector.matches(w.labels()))
          .toList();
      for (int i = 0; i < spec.getWorkloadsCount(); i++) {
        String kind = WorkloadKinds.of(spec.getWorkloads(i));
        if (matching.stream().noneMatch(w -> w.supports(kind))) {
          return Optional.of(String.format(
              "fleet '%s': no connected worker can run workloads[%d] (%s): %d worker(s) online, "
                  + "%d matching the selector %s, none of those running %s",
              fleet.getName(), i, kind, workers.size(), matching.size(), selector, kind));
        }
      }
    }
    return Optional.empty();
  }
}

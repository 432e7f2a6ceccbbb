package dev.kvmmp.cli.reproduce;

import static dev.kvmmp.worker.knobs.KnobNames.GUEST_HALT_POLL_NS;

import dev.kvmmp.coordinator.scheduling.LabelSelector;
import dev.kvmmp.proto.v1.ExperimentSpec;
import dev.kvmmp.proto.v1.Fleet;
import dev.kvmmp.proto.v1.WorkerInfo;
import dev.kvmmp.spec.WorkloadKinds;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Whether this fleet can test a seed experiment before it is submitted, and if not, why in one
 * line: a fleet no worker matches (a tick mode no guest runs), guest knobs no guest has, host
 * workloads without a host-probe.
 */
public final class SeedChecks {

  private static final Map<String, String> TICK_MODES = Map.of("idle", "idle-tickless",
      "periodic", "periodic tick", "full", "nohz_full");

  private SeedChecks() {}

  /**
   * @param whyNoProbe why no host-probe runs, empty when one does
   */
  public static Optional<String> whyNotTestable(ExperimentSpec spec, List<WorkerInfo> workers,
      Optional<String> whyNoProbe) {
    boolean hostWorkloads = spec.getWorkloadsList().stream().anyMatch(WorkloadKinds::isHost);
    if (hostWorkloads) {
      return whyNoProbe.map(why -> "no host-probe to run the micro-VM: " + why);
    }
    for (Fleet fleet : spec.getFleetsList()) {
      if (workers.stream().noneMatch(worker -> matches(fleet, worker))) {
        return Optional.of(whyNoWorker(fleet, workers));
      }
      if (fleet.getGuestProfile().hasGuestHaltPollNs() && workers.stream()
          .noneMatch(w -> w.getFacts().getHaltpollParamsMap().containsKey(GUEST_HALT_POLL_NS))) {
        return Optional.of("no guest has the haltpoll cpuidle driver's guest_halt_poll_ns "
            + "(fleet '" + fleet.getName() + "')");
      }
      if (fleet.getGuestProfile().hasGuestHaltPollNs()
          && workers.stream().noneMatch(w -> maySet(w, GUEST_HALT_POLL_NS))) {
        return Optional.of("no worker may set guest_halt_poll_ns (fleet '" + fleet.getName()
            + "'): the worker must run as root to set guest knobs");
      }
    }
    return Optional.empty();
  }

  private static boolean maySet(WorkerInfo worker, String knob) {
    return worker.getFacts().getGuestKnobsList().stream()
        .anyMatch(k -> k.getName().equals(knob) && k.getWritable());
  }

  private static boolean matches(Fleet fleet, WorkerInfo worker) {
    return new LabelSelector(fleet.getSelectorMap()).matches(worker.getLabelsMap());
  }

  /**
   * What keeps a seed file from being analysed as its finding: the seeds that compare a setting
   * need two fleets, the first without it (the baseline), the second with it.
   */
  public static Optional<String> problem(TalkSeed seed, ExperimentSpec spec) {
    boolean comparesFleets = seed != TalkSeed.PLACEMENT;
    if (comparesFleets && spec.getFleetsCount() != 2) {
      return Optional.of("fleets: " + spec.getFleetsCount() + " fleet(s), needs 2: the first "
          + "without the setting it tests (the baseline), the second with it");
    }
    if (!comparesFleets && spec.getFleetsCount() > 1) {
      return Optional.of("fleets: " + spec.getFleetsCount() + " fleets, at most 1 (the "
          + "placements are compared within one fleet)");
    }
    return Optional.empty();
  }

  private static String whyNoWorker(Fleet fleet, List<WorkerInfo> workers) {
    if (fleet.getSelectorMap().containsKey("nohz")) {
      TreeSet<String> modes = new TreeSet<>();
      workers.forEach(w -> modes.add(w.getLabelsMap().getOrDefault("nohz", "unknown")));
      if (modes.size() == 1) {
        return "all workers run the same tick mode ("
            + TICK_MODES.getOrDefault(modes.first(), modes.first()) + ")";
      }
    }
    return "no worker matches fleet '" + fleet.getName() + "' " + fleet.getSelectorMap();
  }
}

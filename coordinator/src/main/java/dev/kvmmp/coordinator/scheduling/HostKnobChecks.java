package dev.kvmmp.coordinator.scheduling;

import com.google.protobuf.Descriptors.FieldDescriptor;
import dev.kvmmp.coordinator.probes.ConnectedProbe;
import dev.kvmmp.coordinator.workers.ConnectedWorker;
import dev.kvmmp.proto.v1.Exclusivity;
import dev.kvmmp.proto.v1.ExperimentSpec;
import dev.kvmmp.proto.v1.Fleet;
import dev.kvmmp.proto.v1.HostKnobs;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Submission checks of fleets' host knobs against the connected fleet: every knob must be one
 * the probe of each matching worker's host allows, and where runs may share a host
 * (exclusivity vm or worker) fleets with different host knobs must not meet on one.
 */
public final class HostKnobChecks {

  private HostKnobChecks() {}

  /** @return the first problem, as "field: reason", or empty */
  public static Optional<String> refusal(ExperimentSpec spec,
      Collection<ConnectedWorker> workers, Map<String, ConnectedProbe> probes) {
    for (int i = 0; i < spec.getFleetsCount(); i++) {
      Fleet fleet = spec.getFleets(i);
      if (!hasKnobs(fleet)) {
        continue;
      }
      LabelSelector selector = new LabelSelector(fleet.getSelectorMap());
      Set<String> hosts = new TreeSet<>();
      for (ConnectedWorker worker : workers) {
        if (selector.matches(worker.labels()) && !worker.hostId().isEmpty()) {
          hosts.add(worker.hostId());
        }
      }
      if (hosts.isEmpty()) {
        return Optional.of("fleets[" + i + "].host_knobs: no worker matching " + selector
            + " is in a VM that a connected probe sees, and only a host's probe can set host "
            + "knobs");
      }
      for (String host : hosts) {
        ConnectedProbe probe = probes.get(host);
        for (FieldDescriptor knob : fleet.getHostKnobs().getAllFields().keySet()) {
          if (!probe.allowedKnobs().contains(knob.getName())) {
            return Optional.of("fleets[" + i + "].host_knobs." + knob.getName()
                + ": the probe of host '" + host + "' does not allow it (allowed: "
                + new TreeSet<>(probe.allowedKnobs()) + "; see its --allow-knob)");
          }
        }
      }
    }
    return sharedHostConflict(spec, workers);
  }

  private static Optional<String> sharedHostConflict(ExperimentSpec spec,
      Collection<ConnectedWorker> workers) {
    if (spec.getExclusivity() == Exclusivity.EXCLUSIVITY_HOST) {
      return Optional.empty();
    }
    for (int i = 0; i < spec.getFleetsCount(); i++) {
      for (int j = i + 1; j < spec.getFleetsCount(); j++) {
        Fleet a = spec.getFleets(i);
        Fleet b = spec.getFleets(j);
        if (a.getHostKnobs().equals(b.getHostKnobs())) {
          continue;
        }
        Set<String> hostsOfA = hostsMatching(a, workers);
        for (String host : hostsMatching(b, workers)) {
          if (hostsOfA.contains(host)) {
            return Optional.of("fleets[" + i + "].host_knobs and fleets[" + j + "].host_knobs "
                + "differ, and runs of both may share host '" + host + "' at the same time "
                + "(exclusivity " + spec.getExclusivity().name().substring(12).toLowerCase()
                + "): set exclusivity: host, or select disjoint hosts");
          }
        }
      }
    }
    return Optional.empty();
  }

  private static Set<String> hostsMatching(Fleet fleet, Collection<ConnectedWorker> workers) {
    LabelSelector selector = new LabelSelector(fleet.getSelectorMap());
    Set<String> hosts = new TreeSet<>();
    for (ConnectedWorker worker : workers) {
      if (!worker.hostId().isEmpty() && selector.matches(worker.labels())) {
        hosts.add(worker.hostId());
      }
    }
    return hosts;
  }

  public static boolean hasKnobs(Fleet fleet) {
    return !fleet.getHostKnobs().equals(HostKnobs.getDefaultInstance());
  }
}

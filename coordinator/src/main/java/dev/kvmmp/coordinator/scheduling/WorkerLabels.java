package dev.kvmmp.coordinator.scheduling;

import dev.kvmmp.proto.v1.GuestFacts;
import java.util.Map;
import java.util.TreeMap;

/**
 * The labels a fleet selector matches against, derived from a worker's guest facts in one place
 * so that every worker is labelled the same way.
 */
public final class WorkerLabels {

  /** Every key {@link #of} may give, for checking selectors at submission. */
  public static final java.util.Set<String> KEYS = java.util.Set.of("worker", "vm", "hostname",
      "vcpus", "cpu.model", "kernel", "nohz", "idle", "cpuidle.driver", "cpuidle.governor",
      "clocksource", "hypervisor");

  private WorkerLabels() {}

  public static Map<String, String> of(String workerId, GuestFacts facts) {
    Map<String, String> labels = new TreeMap<>();
    labels.put("worker", workerId);
    put(labels, "vm", facts.getVmIdentity());
    put(labels, "hostname", facts.getHostname());
    if (facts.getVcpus() > 0) {
      labels.put("vcpus", Integer.toString(facts.getVcpus()));
    }
    put(labels, "cpu.model", facts.getCpuModel());
    put(labels, "kernel", facts.getKernelRelease());
    put(labels, "nohz", facts.getTickMode());
    put(labels, "idle", facts.getIdleParam());
    put(labels, "cpuidle.driver", facts.getCpuidleDriver());
    put(labels, "cpuidle.governor", facts.getCpuidleGovernor());
    put(labels, "clocksource", facts.getClocksource());
    put(labels, "hypervisor", facts.getUnderHypervisor()
        ? (facts.getHypervisor().isEmpty() ? "unknown" : facts.getHypervisor().toLowerCase())
        : "none");
    return labels;
  }

  private static void put(Map<String, String> labels, String key, String value) {
    if (!value.isEmpty()) {
      labels.put(key, value);
    }
  }
}

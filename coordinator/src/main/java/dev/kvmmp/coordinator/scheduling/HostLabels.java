package dev.kvmmp.coordinator.scheduling;

import dev.kvmmp.proto.v1.HostFacts;
import java.util.Map;
import java.util.TreeMap;

/**
 * The labels a fleet selector matches against for a host workload, derived from a probe's host
 * facts. Every key has the "host." prefix that selectors already use for a worker's host.
 */
public final class HostLabels {

  /** Every key {@link #of} may give, for checking selectors at submission. */
  public static final java.util.Set<String> KEYS = java.util.Set.of("host.id", "host.hostname",
      "host.cpu.vendor", "host.cpu.model", "host.cpu.generation", "host.cpus", "host.kernel",
      "host.lockdown");

  private HostLabels() {}

  public static Map<String, String> of(HostFacts facts) {
    Map<String, String> labels = new TreeMap<>();
    put(labels, "host.id", facts.getHostId());
    put(labels, "host.hostname", facts.getHostname());
    put(labels, "host.cpu.vendor", facts.getCpuVendor());
    put(labels, "host.cpu.model", facts.getCpuModel());
    put(labels, "host.cpu.generation", facts.getCpuGeneration());
    if (facts.getCpus() > 0) {
      labels.put("host.cpus", Integer.toString(facts.getCpus()));
    }
    put(labels, "host.kernel", facts.getKernelRelease());
    put(labels, "host.lockdown", facts.getLockdown());
    return labels;
  }

  private static void put(Map<String, String> labels, String key, String value) {
    if (!value.isEmpty()) {
      labels.put(key, value);
    }
  }
}

package dev.kvmmp.probe.discovery;

import java.util.List;

/**
 * Where the sampler learns which VMs are on the host now: {@link QemuProcesses} on a real host; a
 * filtered or simulated listing in benchmarks and tests.
 */
@FunctionalInterface
public interface VmDiscovery {

  /** The VMs present now, ordered by pid; never throws for a VM that vanishes meanwhile. */
  List<DiscoveredVm> discover();
}

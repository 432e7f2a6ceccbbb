package dev.kvmmp.probe.sampling;

import dev.kvmmp.probe.discovery.DiscoveredVm;
import java.io.IOException;

/**
 * Starts following a VM the discovery found: on a real host, one QMP connection and the kvm
 * event counters of its vCPU threads ({@link HostSampler#qmpFollower}); fakes in tests.
 */
@FunctionalInterface
public interface VmFollower {

  /**
   * @throws IOException or a RuntimeException when the VM cannot be followed now; the sampler
   *     tries again at the next sample
   */
  FollowedVm follow(DiscoveredVm vm) throws IOException;
}

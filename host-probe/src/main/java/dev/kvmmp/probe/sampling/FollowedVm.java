package dev.kvmmp.probe.sampling;

import dev.kvmmp.proto.v1.VmCounters;
import java.io.IOException;

/** One VM the sampler follows, from when it is found until it fails or goes. */
public interface FollowedVm extends AutoCloseable {

  /**
   * The VM's cumulative counters now; what could not be had is listed in {@code missing}.
   *
   * @throws IOException when the VM no longer answers: the sampler stops following it
   */
  VmCounters read() throws IOException;

  /** Releases the connection and counters; must not throw. */
  @Override
  void close();
}

package dev.kvmmp.probe.sampling;

import dev.kvmmp.proto.v1.VmCounters;
import java.io.IOException;

/** One VM the sampler follows, from when it is found until it fails or goes. */
public interface FollowedVm extends AutoCloseable {

  /**
   * Asks the VM for a reading that the next {@link #read} completes, without waiting for it: the
   * sampler asks every VM first, so that they all work at once. By default nothing: {@link #read}
   * does it all.
   *
   * @throws IOException when the VM no longer answers: the sampler stops following it
   */
  default void request() throws IOException {}

  /**
   * The VM's cumulative counters now (as asked by {@link #request}, when it was called); what could not be had is listed in {@code missing}.
   *
   * @throws IOException when the VM no longer answers: the sampler stops following it
   */
  VmCounters read() throws IOException;

  /** Releases the connection and counters; must not throw. */
  @Override
  void close();
}

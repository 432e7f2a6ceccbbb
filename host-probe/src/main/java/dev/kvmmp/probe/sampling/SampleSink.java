package dev.kvmmp.probe.sampling;

import dev.kvmmp.proto.v1.HostSample;

/**
 * Where the probe's samples go: Kafka in a fleet, the terminal for {@code kvmmp probe}.
 * {@link #publish} must not block the sampling loop for long: a sink that cannot deliver now
 * keeps the sample (within its bound) and delivers it later.
 */
public interface SampleSink extends AutoCloseable {

  void publish(HostSample sample);

  /** Delivers what is still kept, waiting at most as long as the sink allows, then lets go. */
  @Override
  void close();
}

package dev.kvmmp.probe.daemon;

import dev.kvmmp.proto.v1.HostSample;
import dev.kvmmp.proto.v1.SampleKind;

/**
 * Where the daemon's samples come from: {@link dev.kvmmp.probe.sampling.HostSampler#sample} on a
 * host, a fake in tests. Each call numbers its sample one above the last.
 */
@FunctionalInterface
public interface SampleSource {

  HostSample sample(SampleKind kind, String runId);
}

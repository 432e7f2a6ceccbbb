package dev.kvmmp.worker.workload;

import java.io.IOException;

/** One request and its response, the unit a closed loop times. */
@FunctionalInterface
public interface RoundTrip {

  void once() throws IOException;
}

package dev.kvmmp.probe.daemon;

import dev.kvmmp.probe.sampling.SampleSink;
import dev.kvmmp.proto.v1.HostSample;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A sink that keeps every sample, for tests to look at. */
final class RecordingSampleSink implements SampleSink {

  final List<HostSample> samples = new CopyOnWriteArrayList<>();
  volatile boolean closed;

  @Override
  public void publish(HostSample sample) {
    samples.add(sample);
  }

  /** The first sample that matches, waiting up to 10 s for it. */
  HostSample await(Predicate<HostSample> matching) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      for (HostSample sample : samples) {
        if (matching.test(sample)) {
          return sample;
        }
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no matching sample within 10 s; published: " + samples.size());
  }

  @Override
  public void close() {
    closed = true;
  }
}

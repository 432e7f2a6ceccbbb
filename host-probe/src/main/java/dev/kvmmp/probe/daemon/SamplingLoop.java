package dev.kvmmp.probe.daemon;

import dev.kvmmp.probe.sampling.SampleSink;
import dev.kvmmp.proto.v1.HostSample;
import dev.kvmmp.proto.v1.KnobValue;
import dev.kvmmp.proto.v1.SampleKind;
import dev.kvmmp.proto.v1.VmInfo;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples the host every interval and on request, and publishes each sample, with the host
 * knobs' values at that moment, to the sink. Periodic samples and requested snapshots share one
 * sequence and reach the sink in sequence order. A requested snapshot is taken at once, waiting
 * at most for a sample already under way. Nothing a sample throws stops the loop.
 */
public final class SamplingLoop implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SamplingLoop.class);

  private final SampleSource source;
  private final Supplier<List<KnobValue>> knobs;
  private final SampleSink sink;
  private final VmRoster roster;
  private final ProbeMetrics metrics;
  private final Duration interval;
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
      r -> {
        Thread thread = new Thread(r, "kvmmp-sampler");
        thread.setDaemon(true);
        return thread;
      });
  // Taking, publishing and listing under one lock keeps the sink in sequence order.
  private final Object lock = new Object();
  private volatile Consumer<List<VmInfo>> vmsChanged = vms -> { };
  private boolean failing;

  SamplingLoop(SampleSource source, Supplier<List<KnobValue>> knobs, SampleSink sink,
      VmRoster roster, ProbeMetrics metrics, Duration interval) {
    if (interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("interval: " + interval + ", must be above 0");
    }
    this.source = source;
    this.knobs = knobs;
    this.sink = sink;
    this.roster = roster;
    this.metrics = metrics;
    this.interval = interval;
  }

  /** Takes the first sample now, so that the VM list is known, then one every interval. */
  void start() {
    tick();
    ticker.scheduleAtFixedRate(this::tick, interval.toNanos(), interval.toNanos(),
        TimeUnit.NANOSECONDS);
  }

  /** Called with the new list whenever the followed VMs change, in the sampling thread. */
  void onVmsChanged(Consumer<List<VmInfo>> listener) {
    vmsChanged = listener;
  }

  /** The VMs of the latest sample. */
  List<VmInfo> vms() {
    return roster.current();
  }

  /**
   * Takes a sample now, publishes it and returns it.
   *
   * @throws RuntimeException when the sample cannot be taken (the sampler's own failure: a VM's
   *     failure is reported in the sample)
   */
  HostSample take(SampleKind kind, String runId) {
    synchronized (lock) {
      long started = System.nanoTime();
      HostSample sample = source.sample(kind, runId).toBuilder()
          .addAllKnobs(knobs.get())
          .build();
      metrics.sampled(sample, Duration.ofNanos(System.nanoTime() - started));
      try {
        sink.publish(sample);
      } catch (RuntimeException e) {
        metrics.sampleFailed("publish");
        log.warn("sample {} could not be handed to the sink: {}", sample.getSequence(),
            e.toString());
      }
      roster.update(sample).ifPresent(vmsChanged);
      return sample;
    }
  }

  private void tick() {
    try {
      take(SampleKind.SAMPLE_KIND_PERIODIC, "");
      if (failing) {
        failing = false;
        log.info("periodic samples are taken again");
      }
    } catch (RuntimeException e) {
      metrics.sampleFailed("sample");
      if (!failing) {
        failing = true;
        log.warn("periodic sample failed ({}); trying again every {} ms, warning again only "
            + "after one succeeds", e.toString(), interval.toMillis(), e);
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    ticker.shutdownNow();
    if (!ticker.awaitTermination(5, TimeUnit.SECONDS)) {
      log.warn("a sample still under way after 5 s; the probe stops without waiting for it");
    }
  }
}

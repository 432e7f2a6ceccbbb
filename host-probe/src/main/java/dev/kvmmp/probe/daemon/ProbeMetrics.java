package dev.kvmmp.probe.daemon;

import dev.kvmmp.proto.v1.HostSample;
import dev.kvmmp.proto.v1.VmCounters;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The probe's own figures, for Prometheus: samples taken and how long they took, VMs followed,
 * what went missing by kind, knob requests by outcome, the coordinator connection, and the JVM's
 * and process's CPU and memory (the probe's cost on its host).
 */
public final class ProbeMetrics {

  /** What became of a knob request. */
  enum KnobOutcome { APPLIED, REFUSED, RESTORED, FAILED }

  private final MeterRegistry registry;
  private final Timer sampleDuration;
  private final AtomicInteger vms = new AtomicInteger();
  private final AtomicInteger connected = new AtomicInteger();
  private final Counter connects;

  public ProbeMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.sampleDuration = Timer.builder("kvmmp.probe.sample.duration")
        .description("Time to take one sample of every VM on the host")
        .publishPercentiles(0.5, 0.9, 0.99)
        .register(registry);
    Gauge.builder("kvmmp.probe.vms", vms, AtomicInteger::get)
        .description("VMs the probe follows").register(registry);
    Gauge.builder("kvmmp.probe.coordinator.connected", connected, AtomicInteger::get)
        .description("1 while the probe's stream to the coordinator is registered, else 0")
        .register(registry);
    this.connects = Counter.builder("kvmmp.probe.coordinator.connects")
        .description("Streams opened to the coordinator, the first and every reconnect")
        .register(registry);
    new ProcessorMetrics().bindTo(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  void sampled(HostSample sample, Duration took) {
    sampleDuration.record(took);
    registry.counter("kvmmp.probe.samples", "kind", kind(sample)).increment();
    vms.set(sample.getVmsCount());
    for (VmCounters vm : sample.getVmsList()) {
      for (String missing : vm.getMissingList()) {
        registry.counter("kvmmp.probe.missing", "kind", missingKind(missing)).increment();
      }
    }
  }

  /** A sample that could not be taken ({@code stage} "sample") or handed on ("publish"). */
  void sampleFailed(String stage) {
    registry.counter("kvmmp.probe.sample.failures", "stage", stage).increment();
  }

  void knobRequest(String request, KnobOutcome outcome) {
    registry.counter("kvmmp.probe.knob.requests", "request", request,
        "outcome", outcome.name().toLowerCase(Locale.ROOT)).increment();
  }

  void connection(boolean registered) {
    if (registered) {
      connects.increment();
    }
    connected.set(registered ? 1 : 0);
  }

  /**
   * "qmp", "kvm events", "kvm:kvm_exit", ...: the source or tracepoint before the reason,
   * without its filter or label, so that the tag takes a handful of values.
   */
  static String missingKind(String missing) {
    int colon = missing.indexOf(": ");
    String counter = colon < 0 ? missing : missing.substring(0, colon);
    return counter.split(" \\[| \\(|/", 2)[0];
  }

  private static String kind(HostSample sample) {
    return sample.getKind().name().replace("SAMPLE_KIND_", "").toLowerCase(Locale.ROOT);
  }
}

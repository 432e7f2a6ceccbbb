package dev.kvmmp.coordinator;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The coordinator's meters: how long scheduling decisions take, how long a result takes to be
 * recorded, what waits, who is connected, and the JVM. Served on /metrics by
 * {@link CoordinatorMain} (--metrics-port).
 */
final class CoordinatorMetrics {

  private final Timer decision;
  private final Timer assignmentDelay;
  private final Timer result;
  private final MeterRegistry registry;

  CoordinatorMetrics(MeterRegistry registry, Supplier<Number> pending, Supplier<Number> workers,
      Supplier<Number> probes) {
    this.registry = registry;
    this.decision = Timer.builder("kvmmp.coordinator.decision")
        .description("One scheduling decision: from looking for the next run's place to the "
            + "run assigned there (bookkeeping and the send included)")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(1_000))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry);
    this.assignmentDelay = Timer.builder("kvmmp.coordinator.assignment.delay")
        .description("From the event that frees a place (a result, a new worker, a submission) "
            + "to the assignment of the run that takes it; in a burst, the decisions before it")
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofNanos(1_000))
        .maximumExpectedValue(Duration.ofSeconds(30))
        .register(registry);
    this.result = Timer.builder("kvmmp.coordinator.result")
        .description("Handling one run's result or failure, under the coordinator's lock")
        .publishPercentiles(0.5, 0.99)
        .register(registry);
    Gauge.builder("kvmmp.coordinator.runs.pending", pending).register(registry);
    Gauge.builder("kvmmp.coordinator.workers", workers).register(registry);
    Gauge.builder("kvmmp.coordinator.probes", probes).register(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
  }

  void decided(long decisionNanos, long sinceEventNanos) {
    decision.record(decisionNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    assignmentDelay.record(sinceEventNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  void resultHandled(long nanos) {
    result.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  void runFinished(String state) {
    Counter.builder("kvmmp.coordinator.runs.finished").tag("state", state).register(registry)
        .increment();
  }
}

package dev.kvmmp.probe.daemon;

import dev.kvmmp.metrics.MetricsEndpoint;
import dev.kvmmp.probe.discovery.QemuProcesses;
import dev.kvmmp.probe.events.ExitReasons;
import dev.kvmmp.probe.facts.HostFactsReader;
import dev.kvmmp.probe.hostrun.HostRuns;
import dev.kvmmp.probe.knobs.HostKnobs;
import dev.kvmmp.probe.sampling.HostSampler;
import dev.kvmmp.probe.sampling.SampleSink;
import dev.kvmmp.proto.v1.HostFacts;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running host-probe: samples the host's VMs into a sink, serves its metrics, and keeps a
 * session with the coordinator when it has one. Puts back the host knobs that a killed probe
 * left set when it starts, and the ones it set itself when it is closed.
 */
public final class ProbeDaemon implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ProbeDaemon.class);

  private final String hostId;
  private final PrometheusMeterRegistry registry;
  private final MetricsEndpoint endpoint;
  private final SampleSink sink;
  private final HostSampler sampler;
  private final KnobCommands knobs;
  private final SamplingLoop sampling;
  private final ManagedChannel channel;
  private final HostProbe probe;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private boolean closed;

  private ProbeDaemon(String hostId, PrometheusMeterRegistry registry, MetricsEndpoint endpoint,
      SampleSink sink, HostSampler sampler, KnobCommands knobs, SamplingLoop sampling,
      ManagedChannel channel, HostProbe probe) {
    this.hostId = hostId;
    this.registry = registry;
    this.endpoint = endpoint;
    this.sink = sink;
    this.sampler = sampler;
    this.knobs = knobs;
    this.sampling = sampling;
    this.channel = channel;
    this.probe = probe;
  }

  /**
   * Starts sampling and serving metrics; {@link #run()} then connects to the coordinator.
   *
   * @param sinks makes the sink, given the registry for its meters, e.g.
   *     {@code registry -> SampleSinks.create(kafka, registry)}
   * @throws IOException when the metrics endpoint cannot listen
   * @throws IllegalArgumentException when no host id is given and the host has no machine-id
   */
  public static ProbeDaemon start(ProbeConfig config,
      Function<MeterRegistry, SampleSink> sinks)
      throws IOException {
    HostKnobs hostKnobs = new HostKnobs(config.root(), HostKnobs.journalIn(config.stateDir()),
        config.knobAllowlist());
    // Before anything reads knob values: a probe killed mid-run may have left them changed.
    hostKnobs.recover();
    HostFactsReader factsReader = new HostFactsReader(config.root());
    HostFacts facts = factsReader.read();
    String hostId = config.hostId().orElse(facts.getHostId());
    if (hostId.isEmpty()) {
      throw new IllegalArgumentException("--host-id: not given, and "
          + config.root().resolve("etc/machine-id") + " is missing or empty: give one");
    }
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    registry.config().commonTags("host_id", hostId);
    SampleSink sink = sinks.apply(registry);
    ProbeMetrics metrics = new ProbeMetrics(registry);
    MetricsEndpoint endpoint = null;
    if (config.metricsPort().isPresent()) {
      try {
        endpoint = MetricsEndpoint.start(registry, config.metricsBind(),
            config.metricsPort().getAsInt());
      } catch (IOException e) {
        sink.close();
        throw e;
      }
    }
    String isa = ExitReasons.isaOf(facts.getCpuVendor());
    HostSampler sampler = new HostSampler(new QemuProcesses(config.root().resolve("proc")),
        hostId, isa, Clock.systemUTC());
    KnobCommands knobs = new KnobCommands(hostKnobs, metrics);
    SamplingLoop sampling = new SamplingLoop(sampler::sample, knobs::current, sink,
        new VmRoster(config.root().resolve("proc")), metrics, config.interval());
    sampling.start();
    ManagedChannel channel = null;
    HostProbe probe = null;
    if (config.coordinator().isPresent()) {
      channel = Grpc.newChannelBuilder(config.coordinator().get(),
          InsecureChannelCredentials.create()).build();
      probe = new HostProbe(channel, () -> factsReader.read().toBuilder().setHostId(hostId)
          .build(), sampling, knobs, metrics, config.heartbeat(),
          new HostRuns(config.root().resolve("dev/kvm")));
    }
    log.info("probe of host {} started: a sample every {} ms{}{}", hostId,
        config.interval().toMillis(),
        config.coordinator().map(c -> ", coordinator " + c).orElse(", no coordinator"),
        endpoint == null ? "" : ", metrics on http://" + config.metricsBind() + ":"
            + endpoint.port() + "/metrics");
    return new ProbeDaemon(hostId, registry, endpoint, sink, sampler, knobs, sampling, channel,
        probe);
  }

  public String hostId() {
    return hostId;
  }

  /** The port metrics are served on; -1 when they are not. */
  public int metricsPort() {
    return endpoint == null ? -1 : endpoint.port();
  }

  /** Serves until {@link #close()}, keeping the session with the coordinator if there is one. */
  public void run() throws InterruptedException {
    if (probe != null) {
      probe.run();
    }
    stopped.await();
  }

  /** Stops in the order that leaves the host as it was: no request, no sample, knobs back. */
  @Override
  public synchronized void close() throws InterruptedException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (probe != null) {
        probe.close();
      }
      sampling.close();
      knobs.restoreQuietly("probe shutting down");
      sampler.close();
      sink.close();
      if (endpoint != null) {
        endpoint.close();
      }
      if (channel != null && !channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS)) {
        log.warn("the channel to the coordinator did not close within 5 s");
      }
      registry.close();
    } finally {
      stopped.countDown();
    }
  }
}

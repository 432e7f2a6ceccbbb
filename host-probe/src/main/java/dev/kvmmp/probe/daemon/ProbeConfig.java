package dev.kvmmp.probe.daemon;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * How a probe daemon runs.
 *
 * @param coordinator {@code host:port} of the coordinator; empty runs without one
 * @param kafka Kafka bootstrap servers; empty logs the samples instead
 * @param hostId the host's name towards the coordinator and Kafka; empty takes the machine-id
 * @param interval time between periodic samples
 * @param root file system root for sysfs, procfs and /etc: {@code /}, or a test tree
 * @param stateDir where the journal of host knobs to put back is kept
 * @param metricsBind address of the metrics endpoint
 * @param metricsPort its port (0: any free one); empty serves no metrics
 * @param heartbeat time between heartbeats to the coordinator
 * @param knobAllowlist host knobs the coordinator may set
 */
public record ProbeConfig(Optional<String> coordinator, Optional<String> kafka,
    Optional<String> hostId, Duration interval, Path root, Path stateDir, String metricsBind,
    OptionalInt metricsPort, Duration heartbeat, Set<String> knobAllowlist) {

  /** Every knob {@link dev.kvmmp.proto.v1.HostKnobs} has. */
  public static final Set<String> ALL_KNOBS = Set.of("halt_poll_ns", "halt_poll_ns_grow",
      "halt_poll_ns_grow_start", "halt_poll_ns_shrink");

  public ProbeConfig {
    Objects.requireNonNull(coordinator, "coordinator");
    Objects.requireNonNull(kafka, "kafka");
    Objects.requireNonNull(hostId, "hostId");
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(metricsBind, "metricsBind");
    Objects.requireNonNull(metricsPort, "metricsPort");
    knobAllowlist = Set.copyOf(knobAllowlist);
    if (interval.isNegative() || interval.isZero() || interval.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException("--interval " + interval + ": must be above 0 and at "
          + "most 1 h");
    }
    if (heartbeat.compareTo(Duration.ofMillis(100)) < 0
        || heartbeat.compareTo(Duration.ofSeconds(5)) > 0) {
      throw new IllegalArgumentException("--heartbeat-interval " + heartbeat + ": must be "
          + "100 ms to 5 s (the coordinator drops a probe silent for 10 s)");
    }
    if (metricsPort.isPresent() && (metricsPort.getAsInt() < 0
        || metricsPort.getAsInt() > 65535)) {
      throw new IllegalArgumentException("--metrics-port " + metricsPort.getAsInt() + ": must "
          + "be 0..65535");
    }
    if (hostId.isPresent() && hostId.get().isBlank()) {
      throw new IllegalArgumentException("--host-id: empty; leave it out to use the machine-id");
    }
  }

  /** A probe of this host with the defaults, for {@code root} and {@code stateDir}. */
  public static ProbeConfig defaults(Path root, Path stateDir) {
    return new ProbeConfig(Optional.empty(), Optional.empty(), Optional.empty(),
        Duration.ofSeconds(1), root, stateDir, "127.0.0.1", OptionalInt.empty(),
        Duration.ofSeconds(1), ALL_KNOBS);
  }
}

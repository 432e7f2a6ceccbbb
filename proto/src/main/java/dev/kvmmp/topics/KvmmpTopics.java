package dev.kvmmp.topics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The Kafka topics every kvmmp component agrees on, with the settings they are created with.
 * Every value is a proto message of package {@code kvmmp.v1} (serialized by {@link ProtoSerde});
 * every key is a UTF-8 string id. Kafka is the system of record: the compacted topics keep the
 * latest state of every key for good.
 */
public final class KvmmpTopics {

  /**
   * Host counter snapshots, periodic and bracketing ({@code HostSample}); key = host id, so one
   * host's samples stay in order on one partition. Kept for {@link #HOST_SAMPLES_RETENTION}.
   *
   * <p>Delivery is at least once: a probe resends a sample whose acknowledgement it did not see,
   * and its idempotent producer removes duplicates only within one producer session. Consumers
   * deduplicate by {@code (host_id, probe_started_at, sequence)}; a gap in {@code sequence}
   * within one {@code (host_id, probe_started_at)} means samples the probe dropped.
   */
  public static final String HOST_SAMPLES = "kvmmp.host-samples";

  /** Experiment specs and state changes; key = experiment id; compacted. */
  public static final String EXPERIMENTS = "kvmmp.experiments";

  /** Run lifecycle and results (histogram bytes); key = run id; compacted, kept. */
  public static final String RUNS = "kvmmp.runs";

  /** Runs joined with their host counters (aggregator output); key = run id; compacted, kept. */
  public static final String RUN_REPORTS = "kvmmp.run-reports";

  /** The latest fleet comparison of each experiment; key = experiment id; compacted. */
  public static final String COMPARISONS = "kvmmp.comparisons";

  /** Long enough to re-join a week of runs with their host counters, short enough for 1 Hz. */
  public static final Duration HOST_SAMPLES_RETENTION = Duration.ofDays(7);

  // Keyed by host and by run: 6 partitions let 6 aggregator instances share the work; the
  // experiment-keyed topics carry a few records per experiment and need fewer.
  private static final int SAMPLE_AND_RUN_PARTITIONS = 6;
  private static final int EXPERIMENT_PARTITIONS = 3;

  private static final Map<String, String> COMPACTED =
      Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);

  private static final List<TopicSpec> ALL = List.of(
      new TopicSpec(HOST_SAMPLES, SAMPLE_AND_RUN_PARTITIONS, Map.of(
          TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE,
          TopicConfig.RETENTION_MS_CONFIG, Long.toString(HOST_SAMPLES_RETENTION.toMillis()))),
      new TopicSpec(EXPERIMENTS, EXPERIMENT_PARTITIONS, COMPACTED),
      new TopicSpec(RUNS, SAMPLE_AND_RUN_PARTITIONS, COMPACTED),
      new TopicSpec(RUN_REPORTS, SAMPLE_AND_RUN_PARTITIONS, COMPACTED),
      new TopicSpec(COMPARISONS, EXPERIMENT_PARTITIONS, COMPACTED));

  private KvmmpTopics() {}

  /** Every kvmmp topic, in the order of the design's table. */
  public static List<TopicSpec> all() {
    return ALL;
  }

  /** The settings of the topic called {@code name}. */
  public static TopicSpec spec(String name) {
    return ALL.stream().filter(t -> t.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("'" + name + "' is not a kvmmp topic; "
            + "known: " + ALL.stream().map(TopicSpec::name).toList()));
  }
}

package dev.kvmmp.spec;

import com.google.protobuf.Duration;
import com.google.protobuf.util.Durations;

/**
 * The bounds of an experiment spec, as documented on the fields of {@code experiment.proto}. One
 * place, so that the CLI, the coordinator and the docs cannot drift apart.
 */
public final class SpecLimits {

  public static final int MAX_NAME_CHARS = 128;
  public static final int MAX_WORKLOADS = 64;
  public static final int MAX_FLEETS = 64;
  public static final long MAX_REPETITIONS = 10_000;
  /** Transactions in one window when a spec counts them instead of timing the window. */
  public static final long MAX_TRANSACTIONS = 1_000_000_000;
  /** Workloads x fleets x repetitions. */
  public static final long MAX_TOTAL_RUNS = 100_000;
  /** Attempts of a run whose worker is lost mid-run. */
  public static final long MAX_ATTEMPTS = 10;
  public static final Duration MAX_DURATION = Durations.fromHours(1);
  public static final Duration MAX_WARMUP = Durations.fromHours(1);

  /** 1 MiB: tcp_rr request and response, memcache value. */
  public static final long MAX_PAYLOAD_BYTES = 1L << 20;
  public static final long MAX_MEMCACHE_KEYS = 1_000_000;
  /** memcached's own key length limit. */
  public static final long MAX_MEMCACHE_KEY_BYTES = 250;
  public static final long MAX_PERCENT = 100;
  public static final Duration MAX_WAKEUP_DELAY = Durations.fromSeconds(1);
  /** Highest vCPU number a workload may pin to: generous, but catches typos and unsigned wrap. */
  public static final long MAX_CPU = 4095;

  /** ipi_halt: fewer round trips than this give no usable percentiles. */
  public static final long MIN_IPI_HALT_ROUND_TRIPS = 100;
  /** ipi_halt round trips, measured or warm-up: ~30 min at this machine's 150 us each. */
  public static final long MAX_IPI_HALT_ROUND_TRIPS = 10_000_000;
  /** micro_vm.halt_poll_ns: far above any sensible poll (KVM's own default is 200 us). */
  public static final long MAX_HALT_POLL_NS = 1_000_000_000L;

  public static final int MAX_FLEET_NAME_CHARS = 64;
  public static final int MAX_SELECTOR_KEY_CHARS = 128;
  public static final int MAX_SELECTOR_VALUE_CHARS = 256;

  private SpecLimits() {}

  /**
   * Shortest key that tells {@code keys} memcache keys apart: a memcache key is "k" and its
   * zero-padded index (the index of the last key sets the digits; one key needs none).
   */
  public static int minMemcacheKeyBytes(long keys) {
    return 1 + (keys <= 1 ? 0 : Long.toString(keys - 1).length());
  }
}

package dev.kvmmp.spec;

import com.google.protobuf.Duration;
import com.google.protobuf.util.Durations;
import dev.kvmmp.proto.v1.Condvar;
import dev.kvmmp.proto.v1.CondvarPrimitive;
import dev.kvmmp.proto.v1.ExperimentSpec;
import dev.kvmmp.proto.v1.Fleet;
import dev.kvmmp.proto.v1.IpiHalt;
import dev.kvmmp.proto.v1.Memcache;
import dev.kvmmp.proto.v1.Exclusivity;
import dev.kvmmp.proto.v1.Order;
import dev.kvmmp.proto.v1.Placement;
import dev.kvmmp.proto.v1.TcpRr;
import dev.kvmmp.proto.v1.TcpRrMode;
import dev.kvmmp.proto.v1.Wakeup;
import dev.kvmmp.proto.v1.Workload;

/**
 * Makes the defaults documented in {@code experiment.proto} explicit, so that what runs, what is
 * stored and what reports show say the same thing instead of each side assuming its own default.
 * Apply after {@link ExperimentSpecValidator}: the validator needs to see what the user left unset.
 */
public final class ExperimentSpecDefaults {

  public static final int REPETITIONS = 1;
  public static final Duration WARMUP = Durations.fromSeconds(1);
  public static final Order ORDER = Order.ORDER_INTERLEAVED;
  public static final Exclusivity EXCLUSIVITY = Exclusivity.EXCLUSIVITY_HOST;
  public static final int MAX_ATTEMPTS = 3;
  public static final Placement PLACEMENT = Placement.PLACEMENT_UNPINNED;
  public static final int TCP_RR_REQUEST_BYTES = 1;
  public static final int TCP_RR_RESPONSE_BYTES = 1;
  public static final TcpRrMode TCP_RR_MODE = TcpRrMode.TCP_RR_MODE_THREADS;
  public static final int MEMCACHE_KEYS = 1_000;
  public static final int MEMCACHE_KEY_BYTES = 16;
  public static final int MEMCACHE_VALUE_BYTES = 32;
  public static final int MEMCACHE_GET_PERCENT = 90;
  public static final CondvarPrimitive CONDVAR_PRIMITIVE = CondvarPrimitive.CONDVAR_PRIMITIVE_PARK;
  public static final Duration WAKEUP_MIN_DELAY = Durations.fromMicros(50);
  public static final Duration WAKEUP_MAX_DELAY = Durations.fromMicros(500);
  /** ipi_halt's two vCPU threads are pinned; the talk measured them on two CPUs. */
  public static final Placement IPI_HALT_PLACEMENT = Placement.PLACEMENT_CROSS_CPU;
  public static final int IPI_HALT_ROUND_TRIPS = 10_000;
  public static final int IPI_HALT_WARMUP_ROUND_TRIPS = 1_000;
  /** The fleet an experiment without fleets runs on; its empty selector matches every worker. */
  public static final String FLEET_NAME = "default";

  private ExperimentSpecDefaults() {}

  /** A copy of {@code spec} with every unset field that has a default set to it. */
  public static ExperimentSpec apply(ExperimentSpec spec) {
    ExperimentSpec.Builder out = spec.toBuilder();
    if (!spec.hasRepetitions()) {
      out.setRepetitions(REPETITIONS);
    }
    if (!spec.hasWarmup()) {
      out.setWarmup(WARMUP);
    }
    if (spec.getOrder() == Order.ORDER_UNSPECIFIED) {
      out.setOrder(ORDER);
    }
    if (spec.getExclusivity() == Exclusivity.EXCLUSIVITY_UNSPECIFIED) {
      out.setExclusivity(EXCLUSIVITY);
    }
    if (!spec.hasMaxAttempts()) {
      out.setMaxAttempts(MAX_ATTEMPTS);
    }
    for (int i = 0; i < spec.getWorkloadsCount(); i++) {
      out.setWorkloads(i, workload(spec.getWorkloads(i)));
    }
    if (spec.getFleetsCount() == 0) {
      out.addFleets(Fleet.newBuilder().setName(FLEET_NAME));
    }
    return out.build();
  }

  private static Workload workload(Workload workload) {
    Workload.Builder out = workload.toBuilder();
    if (workload.getPlacement() == Placement.PLACEMENT_UNSPECIFIED) {
      out.setPlacement(workload.hasIpiHalt() ? IPI_HALT_PLACEMENT : PLACEMENT);
    }
    if (workload.getName().isEmpty() && workload.getKindCase() != Workload.KindCase.KIND_NOT_SET) {
      // The oneof member's field name: "tcp_rr", "memcache", ...
      out.setName(Workload.getDescriptor()
          .findFieldByNumber(workload.getKindCase().getNumber())
          .getName());
    }
    switch (workload.getKindCase()) {
      case TCP_RR -> out.setTcpRr(tcpRr(workload.getTcpRr()));
      case MEMCACHE -> out.setMemcache(memcache(workload.getMemcache()));
      case CONDVAR -> out.setCondvar(condvar(workload.getCondvar()));
      case WAKEUP -> out.setWakeup(wakeup(workload.getWakeup()));
      case IPI_HALT -> out.setIpiHalt(ipiHalt(workload.getIpiHalt()));
      case KIND_NOT_SET -> { }
    }
    return out.build();
  }

  private static TcpRr tcpRr(TcpRr tcpRr) {
    TcpRr.Builder out = tcpRr.toBuilder();
    if (!tcpRr.hasRequestBytes()) {
      out.setRequestBytes(TCP_RR_REQUEST_BYTES);
    }
    if (!tcpRr.hasResponseBytes()) {
      out.setResponseBytes(TCP_RR_RESPONSE_BYTES);
    }
    if (tcpRr.getMode() == TcpRrMode.TCP_RR_MODE_UNSPECIFIED) {
      out.setMode(TCP_RR_MODE);
    }
    return out.build();
  }

  private static Memcache memcache(Memcache memcache) {
    Memcache.Builder out = memcache.toBuilder();
    if (!memcache.hasKeys()) {
      out.setKeys(MEMCACHE_KEYS);
    }
    if (!memcache.hasKeyBytes()) {
      out.setKeyBytes(MEMCACHE_KEY_BYTES);
    }
    if (!memcache.hasValueBytes()) {
      out.setValueBytes(MEMCACHE_VALUE_BYTES);
    }
    if (!memcache.hasGetPercent()) {
      out.setGetPercent(MEMCACHE_GET_PERCENT);
    }
    return out.build();
  }

  private static Condvar condvar(Condvar condvar) {
    if (condvar.getPrimitive() != CondvarPrimitive.CONDVAR_PRIMITIVE_UNSPECIFIED) {
      return condvar;
    }
    return condvar.toBuilder().setPrimitive(CONDVAR_PRIMITIVE).build();
  }

  private static IpiHalt ipiHalt(IpiHalt ipiHalt) {
    IpiHalt.Builder out = ipiHalt.toBuilder();
    if (!ipiHalt.hasRoundTrips()) {
      out.setRoundTrips(IPI_HALT_ROUND_TRIPS);
    }
    if (!ipiHalt.hasWarmupRoundTrips()) {
      out.setWarmupRoundTrips(IPI_HALT_WARMUP_ROUND_TRIPS);
    }
    return out.build();
  }

  private static Wakeup wakeup(Wakeup wakeup) {
    Wakeup.Builder out = wakeup.toBuilder();
    if (!wakeup.hasMinDelay()) {
      out.setMinDelay(WAKEUP_MIN_DELAY);
    }
    if (!wakeup.hasMaxDelay()) {
      out.setMaxDelay(WAKEUP_MAX_DELAY);
    }
    return out.build();
  }
}

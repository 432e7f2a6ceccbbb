package dev.kvmmp.spec;

import com.google.protobuf.Duration;
import com.google.protobuf.util.Durations;
import dev.kvmmp.proto.v1.CondvarPrimitive;
import dev.kvmmp.proto.v1.IpiHalt;
import dev.kvmmp.proto.v1.Memcache;
import dev.kvmmp.proto.v1.Placement;
import dev.kvmmp.proto.v1.TcpRr;
import dev.kvmmp.proto.v1.TcpRrMode;
import dev.kvmmp.proto.v1.Wakeup;
import dev.kvmmp.proto.v1.Workload;
import java.util.List;
import java.util.stream.Collectors;

/** The rules of one {@link Workload}: its kind, its placement and the kind's parameters. */
final class WorkloadChecks {

  private WorkloadChecks() {}

  static void check(Workload workload, String path, Violations violations) {
    checkPlacement(workload, path, violations);
    switch (workload.getKindCase()) {
      case TCP_RR -> checkTcpRr(workload.getTcpRr(), SpecPath.field(path, "tcp_rr"), violations);
      case MEMCACHE ->
          checkMemcache(workload.getMemcache(), SpecPath.field(path, "memcache"), violations);
      case CONDVAR -> {
        if (workload.getCondvar().getPrimitive() == CondvarPrimitive.UNRECOGNIZED) {
          violations.add(SpecPath.field(path, "condvar.primitive"),
              workload.getCondvar().getPrimitiveValue() + " is not one of: "
                  + EnumText.choices(CondvarPrimitive.getDescriptor()));
        }
      }
      case WAKEUP -> checkWakeup(workload.getWakeup(), SpecPath.field(path, "wakeup"), violations);
      case IPI_HALT -> checkIpiHalt(workload, path, violations);
      case KIND_NOT_SET -> violations.add(path, "no workload kind set (one of: " + kindNames() + ")");
    }
  }

  /** {@code tcp_rr, memcache, condvar, wakeup, ipi_halt}, from the proto so that a new kind shows up. */
  static String kindNames() {
    return Workload.getDescriptor().getRealOneofs().get(0).getFields().stream()
        .map(field -> field.getName())
        .collect(Collectors.joining(", "));
  }

  private static void checkPlacement(Workload workload, String path, Violations violations) {
    String cpusPath = SpecPath.field(path, "cpus");
    List<Long> cpus = workload.getCpusList().stream().map(Integer::toUnsignedLong).toList();
    switch (workload.getPlacement()) {
      case PLACEMENT_UNSPECIFIED, PLACEMENT_UNPINNED -> {
        if (!cpus.isEmpty()) {
          violations.add(cpusPath,
              "unpinned takes no vCPUs (use same-cpu or cross-cpu to pin), got " + cpus);
        }
      }
      case PLACEMENT_SAME_CPU -> {
        if (cpus.size() > 1) {
          violations.add(cpusPath, "same-cpu takes 1 vCPU, got " + cpus);
        }
      }
      case PLACEMENT_CROSS_CPU -> {
        if (!cpus.isEmpty() && (cpus.size() != 2 || cpus.get(0).equals(cpus.get(1)))) {
          violations.add(cpusPath, "cross-cpu takes 2 different vCPUs, got " + cpus);
        }
      }
      case UNRECOGNIZED -> violations.add(SpecPath.field(path, "placement"),
          workload.getPlacementValue() + " is not one of: "
              + EnumText.choices(Placement.getDescriptor()));
    }
    for (int i = 0; i < cpus.size(); i++) {
      violations.range(SpecPath.index(cpusPath, i), cpus.get(i), 0, SpecLimits.MAX_CPU);
    }
  }

  private static void checkTcpRr(TcpRr tcpRr, String path, Violations violations) {
    if (tcpRr.hasRequestBytes()) {
      violations.byteRange(SpecPath.field(path, "request_bytes"),
          Integer.toUnsignedLong(tcpRr.getRequestBytes()), 1, SpecLimits.MAX_PAYLOAD_BYTES);
    }
    if (tcpRr.hasResponseBytes()) {
      violations.byteRange(SpecPath.field(path, "response_bytes"),
          Integer.toUnsignedLong(tcpRr.getResponseBytes()), 1, SpecLimits.MAX_PAYLOAD_BYTES);
    }
    if (tcpRr.getMode() == TcpRrMode.UNRECOGNIZED) {
      violations.add(SpecPath.field(path, "mode"), tcpRr.getModeValue() + " is not one of: "
          + EnumText.choices(TcpRrMode.getDescriptor()));
    }
  }

  private static void checkMemcache(Memcache memcache, String path, Violations violations) {
    if (memcache.hasKeys()) {
      violations.range(SpecPath.field(path, "keys"), Integer.toUnsignedLong(memcache.getKeys()),
          1, SpecLimits.MAX_MEMCACHE_KEYS);
    }
    if (memcache.hasKeyBytes()) {
      violations.byteRange(SpecPath.field(path, "key_bytes"),
          Integer.toUnsignedLong(memcache.getKeyBytes()), 1, SpecLimits.MAX_MEMCACHE_KEY_BYTES);
    }
    if (memcache.hasValueBytes()) {
      violations.byteRange(SpecPath.field(path, "value_bytes"),
          Integer.toUnsignedLong(memcache.getValueBytes()), 1, SpecLimits.MAX_PAYLOAD_BYTES);
    }
    if (memcache.hasGetPercent()) {
      violations.range(SpecPath.field(path, "get_percent"),
          Integer.toUnsignedLong(memcache.getGetPercent()), 0, SpecLimits.MAX_PERCENT);
    }
    long keys = memcache.hasKeys() ? Integer.toUnsignedLong(memcache.getKeys())
        : ExperimentSpecDefaults.MEMCACHE_KEYS;
    long keyBytes = memcache.hasKeyBytes() ? Integer.toUnsignedLong(memcache.getKeyBytes())
        : ExperimentSpecDefaults.MEMCACHE_KEY_BYTES;
    int needed = SpecLimits.minMemcacheKeyBytes(keys);
    if (keyBytes >= 1 && keyBytes < needed && keys <= SpecLimits.MAX_MEMCACHE_KEYS) {
      violations.add(SpecPath.field(path, "key_bytes"), keyBytes + " is too short for " + keys
          + " keys: a key is 'k' and a zero-padded index, so key_bytes must be at least "
          + needed);
    }
  }

  private static void checkIpiHalt(Workload workload, String path, Violations violations) {
    if (workload.getPlacement() == Placement.PLACEMENT_UNPINNED) {
      violations.add(SpecPath.field(path, "placement"), "unpinned is not a placement of ipi_halt:"
          + " its two vCPU threads are pinned to host CPUs, use same-cpu or cross-cpu");
    }
    IpiHalt ipiHalt = workload.getIpiHalt();
    String ipiPath = SpecPath.field(path, "ipi_halt");
    if (ipiHalt.hasRoundTrips()) {
      violations.range(SpecPath.field(ipiPath, "round_trips"),
          Integer.toUnsignedLong(ipiHalt.getRoundTrips()), SpecLimits.MIN_IPI_HALT_ROUND_TRIPS,
          SpecLimits.MAX_IPI_HALT_ROUND_TRIPS);
    }
    if (ipiHalt.hasWarmupRoundTrips()) {
      violations.range(SpecPath.field(ipiPath, "warmup_round_trips"),
          Integer.toUnsignedLong(ipiHalt.getWarmupRoundTrips()), 0,
          SpecLimits.MAX_IPI_HALT_ROUND_TRIPS);
    }
  }

  private static void checkWakeup(Wakeup wakeup, String path, Violations violations) {
    String minPath = SpecPath.field(path, "min_delay");
    String maxPath = SpecPath.field(path, "max_delay");
    boolean minValid = !wakeup.hasMinDelay()
        || violations.durationRange(minPath, wakeup.getMinDelay(), false, SpecLimits.MAX_WAKEUP_DELAY);
    boolean maxValid = !wakeup.hasMaxDelay()
        || violations.durationRange(maxPath, wakeup.getMaxDelay(), false, SpecLimits.MAX_WAKEUP_DELAY);
    if (!minValid || !maxValid || !(wakeup.hasMinDelay() || wakeup.hasMaxDelay())) {
      return;
    }
    // With one bound set, the other's default still applies: min_delay 800us alone is too long.
    Duration min = wakeup.hasMinDelay() ? wakeup.getMinDelay() : ExperimentSpecDefaults.WAKEUP_MIN_DELAY;
    Duration max = wakeup.hasMaxDelay() ? wakeup.getMaxDelay() : ExperimentSpecDefaults.WAKEUP_MAX_DELAY;
    if (Durations.compare(min, max) <= 0) {
      return;
    }
    if (wakeup.hasMaxDelay()) {
      violations.add(maxPath, DurationText.format(max) + " is below min_delay "
          + DurationText.format(min) + (wakeup.hasMinDelay() ? "" : " (the default)"));
    } else {
      violations.add(minPath, DurationText.format(min) + " is above max_delay "
          + DurationText.format(max) + " (the default)");
    }
  }
}

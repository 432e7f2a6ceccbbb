package dev.kvmmp.probe.hostrun;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.Timestamps;
import dev.kvmmp.probe.microvm.IpiHaltResult;
import dev.kvmmp.proto.v1.RunResult;
import dev.kvmmp.proto.v1.VmCounters;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.stream.Collectors;

/** An ipi_halt result as the RunResult every run reports, so it flows like a worker's. */
final class IpiHaltRunResults {

  private IpiHaltRunResults() {}

  static RunResult of(IpiHaltResult result, Instant windowStart, Instant windowEnd) {
    RunResult.Builder out = RunResult.newBuilder()
        .setHistogram(ByteString.copyFrom(result.histogramBytes()))
        .setTransactions(result.roundTrips())
        .setWindowStart(Timestamps.fromMillis(windowStart.toEpochMilli()))
        .setWindowEnd(Timestamps.fromMillis(windowEnd.toEpochMilli()))
        .setWindowNs(result.windowNs())
        .setWarmupTransactions(result.settings().warmupRoundTrips())
        .setTscKhz(result.tscKhz())
        .addAllNotes(result.notes())
        .addAllHostCpus(result.cpus())
        .setExplanation(explanation(result));
    for (int vcpu = 0; vcpu < result.vcpuStats().size(); vcpu++) {
      out.addHostVcpuCounters(VmCounters.newBuilder()
          .setVmIdentity("vcpu" + vcpu)
          .setSource("stats-fd")
          .putAllStats(unsigned(result.vcpuStats().get(vcpu))));
    }
    if (!result.events().isEmpty()) {
      out.addHostVcpuCounters(VmCounters.newBuilder()
          .setVmIdentity("vcpus")
          .setSource("tracepoints")
          .putAllEvents(unsigned(result.events())));
    }
    return out.build();
  }

  // The proto's counts are uint64: a stat that can go down (a gauge, e.g. a vCPU's current
  // halt_poll_ns) is clamped to 0 rather than read as a count above 2^63.
  private static Map<String, Long> unsigned(Map<String, Long> deltas) {
    return deltas.entrySet().stream().collect(Collectors.toMap(
        Map.Entry::getKey, e -> Math.max(0, e.getValue())));
  }

  private static String explanation(IpiHaltResult result) {
    return String.format(Locale.ROOT, "per round trip: %s halt exits, %s successful and %s "
            + "attempted polls (both vCPUs), host clock %.1f us; vCPU threads on host CPUs %s",
        figure(result.perRoundTrip("halt_exits")),
        figure(result.perRoundTrip("halt_successful_poll")),
        figure(result.perRoundTrip("halt_attempted_poll")),
        result.hostNsPerRoundTrip() / 1000, result.cpus());
  }

  private static String figure(OptionalDouble value) {
    return value.isPresent() ? String.format(Locale.ROOT, "%.2f", value.getAsDouble()) : "n/a";
  }
}

package dev.kvmmp.cli.reproduce;

import dev.kvmmp.proto.v1.RunReport;
import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * A per-transaction figure of a run report, NaN when the run did not measure it: the report
 * names what its source could not count in {@code missing}, and a figure named there is
 * "not measured", never 0 (proto3 leaves it 0).
 */
enum ReportFigure {
  P50_NS("p50", List.of(), r -> r.getLatency().getP50Ns()),
  GUEST_TIMER_MSR_WRITES("timer MSR writes", List.of("guest: timer MSR writes"),
      r -> r.getGuest().getTimerMsrWrites()),
  GUEST_ICR_WRITES("ICR writes", List.of("guest: ICR writes"), r -> r.getGuest().getIcrWrites()),
  GUEST_HLT_ENTRIES("HLT entries", List.of("guest: HLT entries"),
      r -> r.getGuest().getHltEntries()),
  GUEST_POLL_NS("guest poll ns", List.of("guest: POLL ns"),
      r -> r.getGuest().hasGuestPollNs() ? r.getGuest().getGuestPollNs() : Double.NaN),
  HOST_EXITS("exits", List.of("host: stat 'exits'", "host: exits is not", "host: exits went",
      "host: no per-vCPU KVM stats", "host: the micro-VM result has no"),
      r -> r.getHost().getExits()),
  HOST_HLT_EXITS("HLT exits", List.of("halt_exits", "host: no per-vCPU KVM stats",
      "host: the micro-VM result has no"), r -> r.getHost().getHltExits()),
  HOST_ICR_WRITES("ICR MSR writes", List.of("(ICR)", "host: the micro-VM result has no"),
      r -> r.getHost().getMsrIcr()),
  HOST_POLL_NS("host poll ns", List.of("halt_poll_success_ns", "halt_poll_fail_ns",
      "host: no per-vCPU KVM stats", "host: the micro-VM result has no"),
      r -> r.getHost().getPollSuccessNs() + r.getHost().getPollFailNs());

  private final String label;
  private final List<String> missingKeys;
  private final ToDoubleFunction<RunReport> read;

  /**
   * @param missingKeys what an entry of the report's missing list holds when it is about this
   *     figure (the sources word them differently: a stat's name, an MSR's)
   */
  ReportFigure(String label, List<String> missingKeys, ToDoubleFunction<RunReport> read) {
    this.label = label;
    this.missingKeys = missingKeys;
    this.read = read;
  }

  /** The figure's name in tables and plots. */
  String label() {
    return label;
  }

  /** The figure of {@code report}, or NaN when the run did not measure it. */
  double of(RunReport report) {
    if (name().startsWith("GUEST_") && !report.hasGuest()
        || name().startsWith("HOST_") && !report.hasHost()
        || whyMissing(report).isPresent()) {
      return Double.NaN;
    }
    return read.applyAsDouble(report);
  }

  /** Why the run did not measure this figure, as its report says. */
  Optional<String> whyMissing(RunReport report) {
    String side = name().startsWith("GUEST_") ? "guest: " : "host: ";
    return report.getMissingList().stream()
        .filter(m -> m.startsWith(side) && missingKeys.stream().anyMatch(m::contains))
        .findFirst();
  }
}

package dev.kvmmp.cli.reproduce;

import dev.kvmmp.proto.v1.RunReport;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * A per-transaction figure of a run report, NaN when the run did not measure it: the report
 * names what its source could not count in {@code missing}, and a figure named there is
 * "not measured", never 0.
 */
enum ReportFigure {
  P50_NS("p50", "", r -> r.getLatency().getP50Ns()),
  GUEST_TIMER_MSR_WRITES("timer MSR writes", "guest: timer MSR writes",
      r -> r.getGuest().getTimerMsrWrites()),
  GUEST_ICR_WRITES("ICR writes", "guest: ICR writes", r -> r.getGuest().getIcrWrites()),
  GUEST_HLT_ENTRIES("HLT entries", "guest: HLT entries", r -> r.getGuest().getHltEntries()),
  GUEST_POLL_NS("guest poll ns", "guest: poll", ReportFigure::guestPollNs),
  HOST_EXITS("exits", "host: exits", r -> r.getHost().getExits()),
  HOST_HLT_EXITS("HLT exits", "host: HLT exits", r -> r.getHost().getHltExits()),
  HOST_ICR_WRITES("ICR MSR writes", "host: MSR writes", r -> r.getHost().getMsrIcr()),
  HOST_POLL_NS("host poll ns", "host: poll",
      r -> r.getHost().getPollSuccessNs() + r.getHost().getPollFailNs());

  private final String label;
  private final String missingPrefix;
  private final ToDoubleFunction<RunReport> read;

  ReportFigure(String label, String missingPrefix, ToDoubleFunction<RunReport> read) {
    this.label = label;
    this.missingPrefix = missingPrefix;
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
    if (missingPrefix.isEmpty()) {
      return Optional.empty();
    }
    return report.getMissingList().stream().filter(m -> m.startsWith(missingPrefix)).findFirst();
  }

  /** The POLL idle state's ns per transaction; not yet in the reports: see GuestPerTransaction. */
  private static double guestPollNs(RunReport report) {
    return Double.NaN;
  }
}

package dev.kvmmp.cli.bench;

import dev.kvmmp.probe.microvm.IpiHaltResult;
import java.io.PrintWriter;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * The ipi_halt table: one line per placement and halt-polling setting, round-trip percentiles
 * from the guest's TSC, the host clock per round trip, and KVM's own counts per round trip (per
 * vCPU as "A/B" where they differ by side).
 */
public final class IpiHaltTable {

  private static final String HEADER =
      "%-10s %7s %7s %7s %7s %7s %-9s %-9s %-9s %7s %7s %6s %6s %5s %5s %7s%n";
  private static final String ROW =
      "%-10s %7s %7.1f %7.1f %7.1f %7.1f %-9s %-9s %-9s %7s %7s %6s %6s %5s %5s %7d%n";

  private IpiHaltTable() {}

  /** A failed run of the table: its factors and why. */
  public record Failure(String placement, String poll, String reason) {}

  public static void printHeader(PrintWriter out) {
    out.printf(Locale.ROOT, HEADER, "placement", "poll ns", "p50 us", "p90 us", "p99 us",
        "host us", "halts A/B", "polls A/B", "ok A/B", "poll ns", "wait ns", "exits", "emul",
        "ICR", "IPI", "trips");
    out.flush();
  }

  public static void printRow(IpiHaltResult r, PrintWriter out) {
    out.printf(Locale.ROOT, ROW, r.settings().placement().label(), poll(r),
        us(r, 50), us(r, 90), us(r, 99), r.hostNsPerRoundTrip() / 1000, pair(r, "halt_exits"),
        pair(r, "halt_attempted_poll"), pair(r, "halt_successful_poll"),
        sum(r, "halt_poll_success_ns", "halt_poll_fail_ns"), sum(r, "halt_wait_ns"),
        figure(r.perRoundTrip("exits"), "%.1f"), figure(r.perRoundTrip("insn_emulation"), "%.1f"),
        figure(r.eventPerRoundTrip("kvm_msr:ICR"), "%.2f"),
        figure(r.eventPerRoundTrip("kvm:kvm_apic_ipi"), "%.2f"), r.roundTrips());
    out.flush();
  }

  public static void printFailure(Failure failure, PrintWriter out) {
    out.printf(Locale.ROOT, "%-10s %8s failed: %s%n", failure.placement(), failure.poll(),
        failure.reason());
    out.flush();
  }

  /** The legend, then every note the runs left (what could not be measured, and why). */
  public static void printNotes(List<IpiHaltResult> results, PrintWriter out) {
    out.println();
    out.println("Per round trip: halts = halt_exits, polls = halt_attempted_poll, ok = "
        + "halt_successful_poll, per vCPU A/B; poll ns = halt_poll_success_ns + halt_poll_fail_ns"
        + " and wait ns = halt_wait_ns, exits and emul = exits and insn_emulation, both vCPUs;"
        + " ICR = kvm:kvm_msr writes of MSR 0x830, IPI = kvm:kvm_apic_ipi.");
    out.println("Round trips timed by the guest TSC; host us = host clock per measured batch / "
        + "round trips (includes one exit to user space per batch).");
    Set<String> notes = new LinkedHashSet<>();
    results.forEach(r -> notes.addAll(r.notes()));
    notes.forEach(note -> out.println("note: " + note));
    out.flush();
  }

  private static String poll(IpiHaltResult r) {
    return r.settings().haltPollNs().isPresent()
        ? String.valueOf(r.settings().haltPollNs().getAsLong()) : "module";
  }

  private static double us(IpiHaltResult r, double percentile) {
    return r.roundTripNs().getValueAtPercentile(percentile) / 1000.0;
  }

  private static String pair(IpiHaltResult r, String stat) {
    return figure(r.perRoundTrip(0, stat), "%.2f") + "/" + figure(r.perRoundTrip(1, stat),
        "%.2f");
  }

  private static String sum(IpiHaltResult r, String... stats) {
    double total = 0;
    for (String stat : stats) {
      OptionalDouble value = r.perRoundTrip(stat);
      if (value.isEmpty()) {
        return "-";
      }
      total += value.getAsDouble();
    }
    return String.format(Locale.ROOT, "%.0f", total);
  }

  private static String figure(OptionalDouble value, String format) {
    return value.isPresent() ? String.format(Locale.ROOT, format, value.getAsDouble()) : "-";
  }
}

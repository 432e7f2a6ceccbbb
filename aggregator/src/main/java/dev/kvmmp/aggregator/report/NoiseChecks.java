package dev.kvmmp.aggregator.report;

import dev.kvmmp.proto.v1.GuestDeltas;
import dev.kvmmp.proto.v1.VmCounters;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/** The noise flags judged against {@link ReportSettings}' thresholds. */
final class NoiseChecks {

  private final ReportSettings settings;
  private final Findings findings;

  NoiseChecks(ReportSettings settings, Findings findings) {
    this.settings = settings;
    this.findings = findings;
  }

  /** Steal time against the run's vCPU time: its window on each vCPU it used. */
  void steal(GuestDeltas deltas, long guestWindowNs) {
    if (guestWindowNs <= 0 || deltas.getStealNs() <= 0) {
      return;
    }
    int vcpus = Math.max(1, deltas.getPerCpuCount());
    double share = deltas.getStealNs() / ((double) guestWindowNs * vcpus);
    if (share > settings.stealShare()) {
      findings.noise("steal", String.format(Locale.ROOT, "steal %.1f%% of the window on %d "
          + "vCPU(s) (%d ns), above %.1f%%", share * 100, vcpus, deltas.getStealNs(),
          settings.stealShare() * 100));
    }
  }

  /** The host's window (between its snapshots) against the guest's measured window. */
  void window(long hostWindowNs, long guestWindowNs) {
    long tolerance = settings.windowToleranceNs(guestWindowNs);
    long difference = Math.abs(hostWindowNs - guestWindowNs);
    if (difference > tolerance) {
      findings.noise("window_mismatch", String.format(Locale.ROOT, "host window %.1f ms, guest "
          + "window %.1f ms: %.1f ms apart, tolerance %.1f ms", hostWindowNs / 1e6,
          guestWindowNs / 1e6, difference / 1e6, tolerance / 1e6));
    }
  }

  /** Exits of the host's other VMs over the window, per second. */
  void neighbours(Bracket.Pair window, String vmIdentity) {
    long exits = 0;
    int vms = 0;
    // Their gaps and resets are not the run's: kept out of its report.
    Findings theirs = new Findings();
    for (VmCounters vm : window.end().getVmsList()) {
      if (vm.getVmIdentity().equals(vmIdentity)) {
        continue;
      }
      Optional<CounterDeltas> deltas =
          CounterDeltas.of(window, vm.getVmIdentity(), "neighbour", theirs);
      OptionalLong delta = deltas.isPresent() ? deltas.get().stat("exits") : OptionalLong.empty();
      if (delta.isPresent()) {
        exits += delta.getAsLong();
        vms++;
      }
    }
    double perSecond = exits * 1e9 / window.windowNs();
    if (perSecond > settings.neighbourExitsPerSecond()) {
      findings.noise("neighbours", String.format(Locale.ROOT, "%d other VM(s) of host %s made "
          + "%.0f exits/s during the window, above %.0f", vms, window.end().getHostId(),
          perSecond, settings.neighbourExitsPerSecond()));
    }
  }
}

package dev.kvmmp.aggregator.report;

import java.time.Duration;

/**
 * Thresholds of a run report's noise flags.
 *
 * @param stealShare steal time above this share of the run's vCPU time (window times the vCPUs
 *     it used) flags "steal": the hypervisor took the vCPU away, so latency includes time the
 *     guest did not run
 * @param windowTolerance host and guest windows differing by more than this flag
 *     "window_mismatch" (unless within {@code windowToleranceShare})
 * @param windowToleranceShare ... or by more than this share of the guest window: the larger
 *     of the two tolerances applies, so short runs get the absolute slack and long runs the
 *     relative one
 * @param neighbourExitsPerSecond exits per second of the host's other VMs over the window above
 *     this flag "neighbours": they compete for the same host CPUs
 */
public record ReportSettings(double stealShare, Duration windowTolerance,
    double windowToleranceShare, double neighbourExitsPerSecond) {

  /**
   * 2% steal is already visible in tail latency on this kind of run; 50 ms or 5% covers the two
   * snapshots' own time (a QMP query each, ~20 ms here) on either side of the guest window; an
   * idle Linux VM makes a few hundred exits per second, a busy one tens of thousands.
   */
  public static final ReportSettings DEFAULTS =
      new ReportSettings(0.02, Duration.ofMillis(50), 0.05, 5_000);

  public ReportSettings {
    if (!(stealShare >= 0 && stealShare <= 1)) {
      throw new IllegalArgumentException("stealShare " + stealShare + " not within 0-1");
    }
    if (windowTolerance == null || windowTolerance.isNegative()) {
      throw new IllegalArgumentException("windowTolerance " + windowTolerance
          + " must be a duration >= 0");
    }
    if (!(windowToleranceShare >= 0 && windowToleranceShare <= 1)) {
      throw new IllegalArgumentException("windowToleranceShare " + windowToleranceShare
          + " not within 0-1");
    }
    if (!(neighbourExitsPerSecond >= 0)) {
      throw new IllegalArgumentException("neighbourExitsPerSecond " + neighbourExitsPerSecond
          + " must be >= 0");
    }
  }

  /** The tolerance for a guest window of {@code guestWindowNs}: the larger of the two. */
  long windowToleranceNs(long guestWindowNs) {
    return Math.max(windowTolerance.toNanos(), Math.round(windowToleranceShare * guestWindowNs));
  }
}

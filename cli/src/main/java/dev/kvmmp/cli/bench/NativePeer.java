package dev.kvmmp.cli.bench;

import java.time.Duration;
import java.util.Optional;

/** A native tool that measures what a kvmmp workload measures, run as child processes. */
public interface NativePeer {

  /** The tool's name as the table shows it, e.g. "sockperf". */
  String name();

  /** Why the tool cannot run here (a binary is missing, naming its package); empty if it can. */
  Optional<String> unavailableReason();

  /** How the tool's sides are placed, as the table shows it. */
  String placementLabel(BenchPlacement placement);

  /**
   * Measures for about {@code duration} with the tool's sides placed as asked, and stops every
   * process it started before returning or throwing.
   */
  Figures run(BenchPlacement placement, Duration duration) throws TrialException;
}

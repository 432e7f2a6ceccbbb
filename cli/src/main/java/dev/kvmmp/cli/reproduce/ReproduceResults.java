package dev.kvmmp.cli.reproduce;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What one {@code kvmmp reproduce} found, for the terminal table and the HTML report: a row per
 * finding of the talk checked, and the data behind its plots.
 *
 * @param machine what was measured, in one line (vCPUs, CPU, kernel, cpuidle, probe)
 * @param startedAt when the session started
 * @param elapsed how long it ran
 * @param quick {@code --quick}: fewer repetitions, wider intervals
 * @param complete false when interrupted: the rows say what was measured before
 * @param rows the findings, F1 to F4, one or more rows each
 * @param cdfs latency CDFs, grouped into plots by {@link LatencyCdf#plot()}
 * @param exits exits (or their causes) per transaction, grouped into plots by
 *     {@link ExitBar#plot()}
 * @param polling latency against the CPU polling burns, grouped into plots by
 *     {@link PollingPoint#plot()}
 * @param notes what the reader should know (a fleet that could not run, a knob refused)
 */
public record ReproduceResults(String machine, Instant startedAt, Duration elapsed,
    boolean quick, boolean complete, List<FindingRow> rows, List<LatencyCdf> cdfs,
    List<ExitBar> exits, List<PollingPoint> polling, List<String> notes) {

  public ReproduceResults {
    rows = List.copyOf(rows);
    cdfs = List.copyOf(cdfs);
    exits = List.copyOf(exits);
    polling = List.copyOf(polling);
    notes = List.copyOf(notes);
  }
}

package dev.kvmmp.cli.reproduce;

/**
 * One line of the findings table: one finding of the talk (or one workload of it), the talk's
 * figure, what was measured here with its 95% interval, and the verdict.
 *
 * @param finding "F1" .. "F4"
 * @param subject what the row compares, e.g. "tcp_rr p50, cross-vCPU / same-vCPU"
 * @param talk the talk's figure, e.g. "~25 us vs ~10 us (2.5x)"
 * @param here what kvmmp measured, e.g. "67.1 us vs 4.4 us (15.2x)"
 * @param interval the 95% confidence interval of the row's figure, e.g. "[14.1x, 16.3x]", or
 *     "-" when there is none
 * @param verdict reproduced, not reproduced, not testable here, or not measured
 * @param reason the verdict in one line: why, or why not
 * @param runs how many runs stand behind the row
 */
public record FindingRow(String finding, String subject, String talk, String here,
    String interval, Verdict verdict, String reason, int runs) {}

package dev.kvmmp.cli.reproduce;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hand-made results for the report's rendering tests: shaped like a reproduce session's (F1-F4
 * rows, two CDF plots, one exit-bar plot, one polling plot), with made-up figures.
 */
final class HtmlReportSamples {

  static final Instant STARTED = Instant.parse("2025-11-26T06:00:00Z");

  private HtmlReportSamples() {}

  static ReproduceResults session() {
    return new ReproduceResults(
        "2 vCPUs, Intel family 6 model 167, kernel 6.18, cpuidle haltpoll, probe: micro-VMs",
        STARTED, Duration.ofSeconds(9 * 60 + 5), true, false, rows(),
        List.of(
            cdf("F1 tcp_rr: same-vCPU vs cross-vCPU", "same-vCPU", 4.4, 12),
            cdf("F1 tcp_rr: same-vCPU vs cross-vCPU", "cross-vCPU", 67.0, 12),
            cdf("F3(a) tcp_rr cross-vCPU: guest halt polling", "guest_halt_poll_ns 0", 67.0, 6),
            cdf("F3(a) tcp_rr cross-vCPU: guest halt polling", "guest_halt_poll_ns 200000",
                21.0, 6)),
        List.of(
            bar("tcp_rr same-vCPU", 0.02, 0.0, 0.05),
            bar("tcp_rr cross-vCPU", 1.4, 2.0, 0.9),
            bar("memcache same-vCPU", 0.1, 0.0, 0.2),
            bar("memcache cross-vCPU", 1.6, 2.1, 1.1)),
        List.of(
            new PollingPoint("F3(a) guest halt polling", "tcp_rr cross-vCPU",
                "guest_halt_poll_ns 0", 67.0, Double.NaN, 6),
            new PollingPoint("F3(a) guest halt polling", "tcp_rr cross-vCPU",
                "guest_halt_poll_ns 200000", 21.0, 14_000, 6),
            new PollingPoint("F3(a) guest halt polling", "memcache cross-vCPU",
                "guest_halt_poll_ns 0", 80.0, 0, 6),
            new PollingPoint("F3(a) guest halt polling", "memcache cross-vCPU",
                "guest_halt_poll_ns 200000", 30.0, 22_000, 6)),
        List.of("host side: one micro-VM run failed to boot and was left out",
            "F4 needs workers in both tick modes"));
  }

  static List<FindingRow> rows() {
    return List.of(
        new FindingRow("F1", "tcp_rr p50, cross-vCPU / same-vCPU", "~25 us vs ~10 us (2.5x)",
            "67.0 us vs 4.4 us (15.2x)", "[14.1x, 16.3x]", Verdict.REPRODUCED,
            "cross-vCPU is slower: the interval lies above 1", 24),
        new FindingRow("F2", "ICR writes per transaction, cross-vCPU - same-vCPU", "~2 more",
            "2.0 more", "[1.9, 2.1]", Verdict.REPRODUCED, "every cross-vCPU wakeup is an IPI", 24),
        new FindingRow("F3", "tcp_rr cross-vCPU p50, poll 200 us / off", "0.5x", "0.31x",
            "[0.28x, 0.35x]", Verdict.NOT_REPRODUCED, "the interval lies below 0.5x", 12),
        new FindingRow("F4", "tickless guest", "periodic tick faster", "-", "-",
            Verdict.NOT_TESTABLE, "all workers run the same tick mode (idle-tickless)", 0));
  }

  /** A log-logistic CDF around {@code medianUs}, which looks like a latency CDF when plotted. */
  static LatencyCdf cdf(String plot, String series, double medianUs, int runs) {
    List<LatencyCdf.CdfPoint> points = new ArrayList<>();
    for (int i = 1; i < 200; i++) {
      double q = i / 200.0;
      points.add(new LatencyCdf.CdfPoint(medianUs * Math.pow(q / (1 - q), 0.25), q));
    }
    return new LatencyCdf(plot, series, runs, runs * 40_000L, points);
  }

  static ExitBar bar(String name, double timer, double icr, double hlt) {
    Map<String, Double> parts = new LinkedHashMap<>();
    parts.put("timer MSR writes", timer);
    parts.put("ICR writes", icr);
    parts.put("HLT entries", hlt);
    return new ExitBar("F2 guest side: exit causes per transaction", name, 12, parts);
  }
}

package dev.kvmmp.cli.reproduce;

import java.util.List;

/**
 * One line of a latency CDF plot: every run of one workload under one placement and fleet,
 * their histograms merged.
 *
 * @param plot the plot it belongs to, e.g. "F1 tcp_rr: same-vCPU vs cross-vCPU"
 * @param series the line's name, e.g. "cross-vCPU" or "cross-vCPU, guest_halt_poll_ns 200000"
 * @param runs how many runs were merged
 * @param transactions transactions in those runs' windows
 * @param points (latency us, fraction of transactions at or below it), latency ascending
 */
public record LatencyCdf(String plot, String series, int runs, long transactions,
    List<CdfPoint> points) {

  public LatencyCdf {
    points = List.copyOf(points);
  }

  /** One point of a CDF. */
  public record CdfPoint(double latencyUs, double fraction) {}
}

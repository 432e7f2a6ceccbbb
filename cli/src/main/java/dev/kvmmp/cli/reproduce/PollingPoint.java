package dev.kvmmp.cli.reproduce;

/**
 * One point of a polling plot: what a halt-polling setting does to latency and what it costs
 * in CPU (medians over the runs of one workload, placement and fleet).
 *
 * @param plot the plot it belongs to, e.g. "F3(a) guest halt polling" or "F3(b) host halt
 *     polling (micro-VM)"
 * @param series the workload and placement, e.g. "tcp_rr cross-vCPU"; one line per series
 * @param setting the fleet's setting, e.g. "guest_halt_poll_ns 0" or "halt_poll_ns 200000"
 * @param p50Us median of the runs' p50 latency
 * @param pollNsPerTransaction CPU ns spent polling per transaction, or NaN when it was not
 *     measured
 * @param runs how many runs the medians are over
 */
public record PollingPoint(String plot, String series, String setting, double p50Us,
    double pollNsPerTransaction, int runs) {}

package dev.kvmmp.probe.microvm;

/**
 * Where a run stands after a batch: warm-up or measured round trips done, out of how many.
 */
public record IpiHaltProgress(boolean warmup, long done, long total) {}

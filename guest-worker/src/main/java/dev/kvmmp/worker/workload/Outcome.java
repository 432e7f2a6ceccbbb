package dev.kvmmp.worker.workload;

import dev.kvmmp.proto.v1.PlacementCheck;

/** What a workload measured, and where its sides turned out to run. */
public record Outcome(ClosedLoop.Measurement measurement, PlacementCheck placement) {}

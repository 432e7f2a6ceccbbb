package dev.kvmmp.aggregator;

import dev.kvmmp.proto.v1.Experiment;
import dev.kvmmp.proto.v1.ExperimentComparison;
import dev.kvmmp.proto.v1.RunReport;
import java.time.Instant;
import java.util.List;

/** Compares an experiment's fleets from the reports of its runs so far. */
@FunctionalInterface
public interface Comparer {

  /** @param experiment the experiment as submitted (its spec orders the fleets) */
  ExperimentComparison compare(Experiment experiment, List<RunReport> reports, Instant now);
}

package dev.kvmmp.aggregator;

import dev.kvmmp.proto.v1.HostSample;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunReport;
import java.time.Instant;
import java.util.List;

/** Turns a run and the snapshots tagged with it into its report. */
@FunctionalInterface
public interface ReportBuilder {

  RunReport build(Run run, List<HostSample> snapshots, Instant now);
}

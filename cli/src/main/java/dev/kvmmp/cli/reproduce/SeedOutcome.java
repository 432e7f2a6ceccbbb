package dev.kvmmp.cli.reproduce;

import dev.kvmmp.proto.v1.ExperimentSpec;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunReport;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What became of one seed experiment: not run (with the reason it cannot be tested here), or
 * its runs as the coordinator ended them with the aggregator's reports of them.
 *
 * @param seed which experiment
 * @param spec the spec as submitted (after --quick)
 * @param experimentId the coordinator's id, empty when it was not submitted
 * @param notTestable why this machine cannot test it, when it was not submitted for that
 * @param runs every run of the experiment, in whatever state it ended
 * @param reports the aggregator's report of each run that has one, by run id
 */
public record SeedOutcome(TalkSeed seed, ExperimentSpec spec, Optional<String> experimentId,
    Optional<String> notTestable, List<Run> runs, Map<String, RunReport> reports) {

  public SeedOutcome {
    runs = List.copyOf(runs);
    reports = Map.copyOf(reports);
  }

  /** A seed this machine cannot test, and why. */
  public static SeedOutcome notTestable(TalkSeed seed, ExperimentSpec spec, String reason) {
    return new SeedOutcome(seed, spec, Optional.empty(), Optional.of(reason), List.of(),
        Map.of());
  }

  /** A seed that was never submitted: the session was interrupted before it. */
  public static SeedOutcome notRun(TalkSeed seed, ExperimentSpec spec) {
    return new SeedOutcome(seed, spec, Optional.empty(), Optional.empty(), List.of(), Map.of());
  }
}

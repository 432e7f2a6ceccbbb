package dev.kvmmp.cli.reproduce;

import dev.kvmmp.proto.v1.ExperimentComparison;
import dev.kvmmp.proto.v1.ExperimentSpec;
import dev.kvmmp.proto.v1.FleetComparison;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunReport;
import dev.kvmmp.proto.v1.Workload;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Predicate;
import java.util.stream.IntStream;

/**
 * What became of one seed experiment: not run (with the reason), or its runs as the
 * coordinator ended them with the aggregator's reports of them and its fleet comparison.
 *
 * @param seed which experiment
 * @param spec the spec as submitted (after --quick)
 * @param experimentId the coordinator's id, empty when it was not submitted
 * @param notTestable why this machine cannot test it, when it was not submitted for that
 * @param notRun why it has no runs otherwise (interrupted before it, a failure on the way)
 * @param runs every run of the experiment, in whatever state it ended
 * @param reports the aggregator's report of each run that has one, by run id
 * @param comparison the aggregator's comparison of the experiment's fleets, when it came
 */
public record SeedOutcome(TalkSeed seed, ExperimentSpec spec, Optional<String> experimentId,
    Optional<String> notTestable, Optional<String> notRun, List<Run> runs,
    Map<String, RunReport> reports, Optional<ExperimentComparison> comparison) {

  public SeedOutcome {
    runs = List.copyOf(runs);
    reports = Map.copyOf(reports);
  }

  /**
   * The aggregator's comparison of {@code fleet} with the spec's first fleet for the spec's
   * first workload that {@code workload} selects.
   */
  public Optional<FleetComparison> comparisonOf(Predicate<Workload> workload, String fleet) {
    OptionalInt index = IntStream.range(0, spec.getWorkloadsCount())
        .filter(i -> workload.test(spec.getWorkloads(i))).findFirst();
    if (index.isEmpty() || comparison.isEmpty()) {
      return Optional.empty();
    }
    return comparison.get().getComparisonsList().stream()
        .filter(c -> c.getWorkloadIndex() == index.getAsInt() && c.getFleet().equals(fleet))
        .findFirst();
  }

  /** A seed this machine cannot test, and why. */
  public static SeedOutcome notTestable(TalkSeed seed, ExperimentSpec spec, String reason) {
    return new SeedOutcome(seed, spec, Optional.empty(), Optional.of(reason), Optional.empty(),
        List.of(), Map.of(), Optional.empty());
  }

  /** A seed without runs for another reason: the session was interrupted, or it failed. */
  public static SeedOutcome notRun(TalkSeed seed, ExperimentSpec spec, String reason) {
    return new SeedOutcome(seed, spec, Optional.empty(), Optional.empty(), Optional.of(reason),
        List.of(), Map.of(), Optional.empty());
  }
}

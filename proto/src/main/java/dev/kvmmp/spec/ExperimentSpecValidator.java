package dev.kvmmp.spec;

import dev.kvmmp.proto.v1.ExperimentSpec;
import dev.kvmmp.proto.v1.Exclusivity;
import dev.kvmmp.proto.v1.Order;
import java.math.BigInteger;
import java.util.List;

/**
 * The checks every side applies to an {@link ExperimentSpec}: the CLI before submitting, the
 * coordinator on what arrives over gRPC. Works on the proto alone and reads optional fields by
 * presence, so it must run before {@link ExperimentSpecDefaults#apply} fills them in.
 *
 * <p>Reports every violation rather than the first, so that a user fixes a file in one go.
 */
public final class ExperimentSpecValidator {

  private ExperimentSpecValidator() {}

  /** All violations of {@code spec}, in field order; empty if it is valid. */
  public static List<SpecViolation> validate(ExperimentSpec spec) {
    Violations violations = new Violations();
    if (spec.getName().isEmpty()) {
      violations.missing("name");
    } else {
      violations.count("name", spec.getName().length(), "characters", SpecLimits.MAX_NAME_CHARS);
    }
    if (spec.getWorkloadsCount() == 0) {
      violations.missing("workloads");
    }
    violations.count("workloads", spec.getWorkloadsCount(), "entries", SpecLimits.MAX_WORKLOADS);
    for (int i = 0; i < spec.getWorkloadsCount(); i++) {
      WorkloadChecks.check(spec.getWorkloads(i), SpecPath.index("workloads", i), violations);
    }
    FleetChecks.check(spec.getFleetsList(), violations);
    if (spec.hasRepetitions()) {
      violations.range("repetitions", Integer.toUnsignedLong(spec.getRepetitions()), 1,
          SpecLimits.MAX_REPETITIONS);
    }
    if (spec.getOrder() == Order.UNRECOGNIZED) {
      violations.add("order", spec.getOrderValue() + " is not one of: "
          + EnumText.choices(Order.getDescriptor()));
    }
    if (spec.getExclusivity() == Exclusivity.UNRECOGNIZED) {
      violations.add("exclusivity", spec.getExclusivityValue() + " is not one of: "
          + EnumText.choices(Exclusivity.getDescriptor()));
    }
    if (spec.hasMaxAttempts()) {
      violations.range("max_attempts", Integer.toUnsignedLong(spec.getMaxAttempts()), 1,
          SpecLimits.MAX_ATTEMPTS);
    }
    if (spec.hasDuration() && spec.hasTransactions()) {
      violations.add("transactions", "set together with duration; a window ends after one of "
          + "them, so set only one");
    } else if (spec.hasTransactions()) {
      violations.range("transactions", spec.getTransactions(), 1, SpecLimits.MAX_TRANSACTIONS);
    } else if (spec.hasDuration()) {
      violations.durationRange("duration", spec.getDuration(), false, SpecLimits.MAX_DURATION);
    } else {
      violations.missing("duration");
    }
    if (spec.hasWarmup()) {
      violations.durationRange("warmup", spec.getWarmup(), true, SpecLimits.MAX_WARMUP);
    }
    checkTotalRuns(spec, violations);
    return violations.toList();
  }

  // Each factor may be within its own limit while the product is not: 64 x 64 x 10,000.
  private static void checkTotalRuns(ExperimentSpec spec, Violations violations) {
    long workloads = spec.getWorkloadsCount();
    long fleets = Math.max(1, spec.getFleetsCount());
    long repetitions = spec.hasRepetitions() ? Integer.toUnsignedLong(spec.getRepetitions()) : 1;
    // BigInteger: an unchecked proto can carry 2^32-1 repetitions, enough to overflow a long.
    BigInteger runs = BigInteger.valueOf(workloads)
        .multiply(BigInteger.valueOf(fleets))
        .multiply(BigInteger.valueOf(repetitions));
    if (runs.compareTo(BigInteger.valueOf(SpecLimits.MAX_TOTAL_RUNS)) > 0) {
      violations.add("", plural(workloads, "workload") + " x " + plural(fleets, "fleet") + " x "
          + plural(repetitions, "repetition") + " = " + runs + " runs, above the maximum "
          + SpecLimits.MAX_TOTAL_RUNS);
    }
  }

  private static String plural(long count, String noun) {
    return count + " " + noun + (count == 1 ? "" : "s");
  }
}

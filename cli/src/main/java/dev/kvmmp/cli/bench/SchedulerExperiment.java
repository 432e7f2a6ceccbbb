package dev.kvmmp.cli.bench;

import com.google.protobuf.util.Durations;
import dev.kvmmp.proto.v1.Exclusivity;
import dev.kvmmp.proto.v1.ExperimentSpec;
import dev.kvmmp.proto.v1.Fleet;
import dev.kvmmp.proto.v1.Order;
import dev.kvmmp.proto.v1.TcpRr;
import dev.kvmmp.proto.v1.Workload;
import dev.kvmmp.spec.SpecLimits;
import java.util.List;

/**
 * The experiment the scheduler bench submits: two fleets (vcpus=2, vcpus=4), tcp_rr, one run at
 * a time per worker only (EXCLUSIVITY_WORKER), about {@code runs per worker} x workers runs.
 * Repetitions are capped per (workload, fleet) pair, so larger plans repeat the same tcp_rr
 * workload under several names: the coordinator schedules them alike.
 */
record SchedulerExperiment(int workloads, int repetitions) {

  static final List<String> FLEETS = List.of("vcpus-2", "vcpus-4");

  SchedulerExperiment {
    if (workloads < 1 || workloads > SpecLimits.MAX_WORKLOADS) {
      throw new IllegalArgumentException("workloads must be between 1 and "
          + SpecLimits.MAX_WORKLOADS + ", got " + workloads);
    }
    if (repetitions < 1 || repetitions > SpecLimits.MAX_REPETITIONS) {
      throw new IllegalArgumentException("repetitions must be between 1 and "
          + SpecLimits.MAX_REPETITIONS + ", got " + repetitions);
    }
  }

  /**
   * The smallest plan with at least {@code workers x runsPerWorker} runs.
   *
   * @throws IllegalArgumentException when that is more runs than an experiment may have
   */
  static SchedulerExperiment forWorkers(int workers, int runsPerWorker) {
    long wanted = (long) workers * runsPerWorker;
    if (wanted < 1 || wanted > SpecLimits.MAX_TOTAL_RUNS) {
      throw new IllegalArgumentException("--workers x --runs-per-worker = " + workers + " x "
          + runsPerWorker + " = " + wanted + " runs; an experiment has 1 to "
          + SpecLimits.MAX_TOTAL_RUNS);
    }
    long pairs = ceilDiv(wanted, FLEETS.size());
    int workloads = (int) ceilDiv(pairs, SpecLimits.MAX_REPETITIONS);
    return new SchedulerExperiment(workloads, (int) ceilDiv(pairs, workloads));
  }

  int runsPerFleet() {
    return workloads * repetitions;
  }

  int totalRuns() {
    return runsPerFleet() * FLEETS.size();
  }

  ExperimentSpec spec() {
    ExperimentSpec.Builder spec = ExperimentSpec.newBuilder()
        .setName("bench-scheduler")
        .setDescription("kvmmp bench scheduler: simulated workers, scheduling latency and heap")
        .setRepetitions(repetitions)
        .setOrder(Order.ORDER_INTERLEAVED)
        // Simulated workers ignore both; they run for --run-millis.
        .setDuration(Durations.fromSeconds(1))
        .setWarmup(Durations.ZERO)
        .setExclusivity(Exclusivity.EXCLUSIVITY_WORKER);
    for (int w = 0; w < workloads; w++) {
      spec.addWorkloads(Workload.newBuilder()
          .setName(workloads == 1 ? "tcp_rr" : "tcp_rr-" + w)
          .setTcpRr(TcpRr.getDefaultInstance()));
    }
    for (String fleet : FLEETS) {
      spec.addFleets(Fleet.newBuilder().setName(fleet)
          .putSelector("vcpus", fleet.substring(fleet.indexOf('-') + 1)));
    }
    return spec.build();
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}

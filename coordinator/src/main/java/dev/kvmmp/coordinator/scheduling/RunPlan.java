package dev.kvmmp.coordinator.scheduling;

import dev.kvmmp.proto.v1.ExperimentSpec;
import dev.kvmmp.proto.v1.Fleet;
import dev.kvmmp.proto.v1.Order;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunState;
import dev.kvmmp.proto.v1.Workload;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Expands an experiment spec (with its defaults applied) into runs, in schedule order.
 *
 * <p>Interleaved order runs randomized blocks, each holding one run of every (workload, fleet)
 * pair, so that slow drift of the machine lands on every fleet alike (Abedi &amp; Brecht,
 * "Conducting Repeatable Experiments in Highly Variable Cloud Computing Environments", ICPE 2017).
 */
public final class RunPlan {

  private RunPlan() {}

  /**
   * @param seed seeds the block shuffles, so that a plan can be reproduced from the experiment id
   */
  public static List<Run> expand(String experimentId, ExperimentSpec spec, long seed) {
    List<Run> pairs = new ArrayList<>();
    for (int w = 0; w < spec.getWorkloadsCount(); w++) {
      for (Fleet fleet : spec.getFleetsList()) {
        pairs.add(pairTemplate(experimentId, spec, w, fleet));
      }
    }
    Random random = new Random(seed);
    List<Run> ordered = new ArrayList<>();
    if (spec.getOrder() == Order.ORDER_SEQUENTIAL) {
      for (Run pair : pairs) {
        for (int r = 0; r < spec.getRepetitions(); r++) {
          ordered.add(pair.toBuilder().setRepetition(r).build());
        }
      }
    } else {
      for (int r = 0; r < spec.getRepetitions(); r++) {
        List<Run> block = new ArrayList<>(pairs);
        Collections.shuffle(block, random);
        for (Run pair : block) {
          ordered.add(pair.toBuilder().setRepetition(r).build());
        }
      }
    }
    List<Run> runs = new ArrayList<>(ordered.size());
    for (int i = 0; i < ordered.size(); i++) {
      runs.add(ordered.get(i).toBuilder()
          .setSequence(i)
          .setId(String.format("%s-r%04d", experimentId, i))
          .build());
    }
    return runs;
  }

  private static Run pairTemplate(String experimentId, ExperimentSpec spec, int workloadIndex,
      Fleet fleet) {
    Workload workload = spec.getWorkloads(workloadIndex);
    Run.Builder run = Run.newBuilder()
        .setExperimentId(experimentId)
        .setWorkloadIndex(workloadIndex)
        .setWorkload(workload)
        .setFleet(fleet.getName())
        .setGuestProfile(fleet.getGuestProfile())
        .setMicroVm(fleet.getMicroVm())
        .setHostKnobs(fleet.getHostKnobs())
        .setWarmup(spec.getWarmup())
        .setDuration(spec.getDuration())
        .setState(RunState.RUN_STATE_PENDING);
    if (spec.hasTransactions()) {
      run.setTransactions(spec.getTransactions());
    }
    return run.build();
  }
}

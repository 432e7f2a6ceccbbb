package dev.kvmmp.cli.bench;

import dev.kvmmp.proto.v1.Workload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs each pair at each placement as alternating trials, kvmmp then its peer, so that drift in
 * the machine (a noisy neighbour, a frequency change) hits both sides alike.
 */
public final class FidelityBench {

  private final KvmmpSide kvmmp;
  private final int repetitions;
  private final Duration trialLength;
  private final Progress progress;

  FidelityBench(KvmmpSide kvmmp, int repetitions, Duration trialLength, Progress progress) {
    if (repetitions < 1) {
      throw new IllegalArgumentException("repetitions must be at least 1, got " + repetitions);
    }
    this.kvmmp = kvmmp;
    this.repetitions = repetitions;
    this.trialLength = trialLength;
    this.progress = progress;
  }

  /** One row per pair and placement, in that order; an unavailable side never stops the rest. */
  public List<FidelityRow> run(List<BenchPair> pairs) {
    record Planned(BenchPair pair, BenchPlacement placement, Optional<String> unavailable) {}
    List<Planned> plan = new ArrayList<>();
    for (BenchPair pair : pairs) {
      Optional<String> unavailable = unavailableReason(pair);
      // Said up front, so nobody waits through the trials to learn a row will be empty.
      unavailable.ifPresent(reason -> progress.note(pair.name() + ": " + reason));
      for (BenchPlacement placement : BenchPlacement.values()) {
        plan.add(new Planned(pair, placement, unavailable));
      }
    }
    progress.start((int) plan.stream().filter(p -> p.unavailable().isEmpty()).count()
        * repetitions * 2);
    List<FidelityRow> rows = new ArrayList<>();
    for (Planned planned : plan) {
      if (planned.unavailable().isPresent()) {
        rows.add(FidelityRow.unavailable(planned.pair(), planned.placement(),
            planned.unavailable().get()));
      } else {
        rows.add(runRow(planned.pair(), planned.placement()));
      }
    }
    progress.done();
    return rows;
  }

  private Optional<String> unavailableReason(BenchPair pair) {
    Optional<String> kvmmpReason = kvmmp.unavailableReason(pair.workload());
    Optional<String> peerReason = pair.peer().unavailableReason();
    if (kvmmpReason.isPresent() && peerReason.isPresent()) {
      return Optional.of(kvmmpReason.get() + "; " + peerReason.get());
    }
    return kvmmpReason.or(() -> peerReason);
  }

  private FidelityRow runRow(BenchPair pair, BenchPlacement placement) {
    Workload workload = pair.placed(placement);
    NativePeer peer = pair.peer();
    List<TrialPair> trials = new ArrayList<>();
    String where = pair.name() + " " + placement.label();
    int started = 0;
    for (int i = 1; i <= repetitions; i++) {
      try {
        started++;
        progress.trial(where + ", kvmmp, repetition " + i + "/" + repetitions);
        Figures ours = kvmmp.run("bench-" + pair.name() + "-" + placement.label() + "-" + i,
            workload, trialLength);
        started++;
        progress.trial(where + ", " + peer.name() + ", repetition " + i + "/" + repetitions);
        Figures theirs = peer.run(placement, trialLength);
        trials.add(new TrialPair(i, ours, theirs));
      } catch (TrialException e) {
        // The remaining trials of this row would only fail the same way; move to the next row.
        progress.skip(repetitions * 2 - started);
        progress.note(where + ": " + e.getMessage());
        return new FidelityRow(pair.name(), placement, peer.name(),
            peer.placementLabel(placement), pair.statistic(), trials,
            Optional.of("failed: " + e.getMessage()), true);
      }
    }
    return new FidelityRow(pair.name(), placement, peer.name(), peer.placementLabel(placement),
        pair.statistic(), trials, Optional.empty(), false);
  }
}

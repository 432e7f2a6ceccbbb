package dev.kvmmp.aggregator.report;

import dev.kvmmp.proto.v1.IdleBaseline;
import dev.kvmmp.proto.v1.SampleKind;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The VM's background exit rate, from the idle window the coordinator has the probe bracket
 * just before the run (IDLE_BASELINE to IDLE_BASELINE_END, nothing running in the VM).
 */
final class IdleBaselines {

  private IdleBaselines() {}

  static Optional<IdleBaseline> of(Bracket bracket, String vmIdentity, Findings findings) {
    String what = "host: idle baseline";
    Optional<Bracket.Pair> pair = bracket.pair(SampleKind.SAMPLE_KIND_IDLE_BASELINE,
        SampleKind.SAMPLE_KIND_IDLE_BASELINE_END, what, findings);
    Optional<CounterDeltas> deltas =
        pair.flatMap(p -> CounterDeltas.of(p, vmIdentity, what, findings));
    if (deltas.isEmpty()) {
      return Optional.empty();
    }
    OptionalLong exits = deltas.get().stat("exits");
    if (exits.isEmpty()) {
      return Optional.empty();
    }
    long windowNs = pair.get().windowNs();
    return Optional.of(IdleBaseline.newBuilder()
        .setWindowNs(windowNs)
        .setExitsPerSecond(exits.getAsLong() * 1e9 / windowNs)
        .build());
  }
}

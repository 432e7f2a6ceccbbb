package dev.kvmmp.coordinator;

import dev.kvmmp.proto.v1.HostKnobs;
import dev.kvmmp.proto.v1.KnobsApplied;
import dev.kvmmp.proto.v1.SampleKind;
import dev.kvmmp.proto.v1.SnapshotTaken;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Probe requests answered at once, each written down as "host: what". */
final class FakeHostRequests implements HostRequests {

  final List<String> calls = new ArrayList<>();

  @Override
  public synchronized CompletableFuture<KnobsApplied> applyKnobs(String hostId, HostKnobs knobs) {
    calls.add(hostId + ": apply halt_poll_ns=" + knobs.getHaltPollNs());
    return CompletableFuture.completedFuture(KnobsApplied.getDefaultInstance());
  }

  @Override
  public synchronized CompletableFuture<KnobsApplied> restoreKnobs(String hostId) {
    calls.add(hostId + ": restore");
    return CompletableFuture.completedFuture(KnobsApplied.getDefaultInstance());
  }

  @Override
  public synchronized CompletableFuture<SnapshotTaken> takeSnapshot(String hostId,
      String vmIdentity, String runId, SampleKind kind) {
    calls.add(hostId + ": snapshot " + vmIdentity + " " + runId + " " + kind.name().substring(12));
    return CompletableFuture.completedFuture(SnapshotTaken.getDefaultInstance());
  }

  synchronized List<String> calls() {
    return List.copyOf(calls);
  }
}

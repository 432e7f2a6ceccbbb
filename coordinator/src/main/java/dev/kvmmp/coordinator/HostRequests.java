package dev.kvmmp.coordinator;

import dev.kvmmp.proto.v1.HostKnobs;
import dev.kvmmp.proto.v1.KnobsApplied;
import dev.kvmmp.proto.v1.SampleKind;
import dev.kvmmp.proto.v1.SnapshotTaken;
import io.grpc.Status;
import java.util.concurrent.CompletableFuture;

/** What the coordinator asks of a host's probe: knob changes and tagged snapshots. */
public interface HostRequests {

  /** For a coordinator without probe streams: every request fails. */
  HostRequests NONE = new HostRequests() {
    @Override
    public CompletableFuture<KnobsApplied> applyKnobs(String hostId, HostKnobs knobs) {
      return noProbe(hostId);
    }

    @Override
    public CompletableFuture<KnobsApplied> restoreKnobs(String hostId) {
      return noProbe(hostId);
    }

    @Override
    public CompletableFuture<SnapshotTaken> takeSnapshot(String hostId, String vmIdentity,
        String runId, SampleKind kind) {
      return noProbe(hostId);
    }

    private <T> CompletableFuture<T> noProbe(String hostId) {
      return CompletableFuture.failedFuture(Status.NOT_FOUND
          .withDescription("no probe service for host '" + hostId + "'").asRuntimeException());
    }
  };

  CompletableFuture<KnobsApplied> applyKnobs(String hostId, HostKnobs knobs);

  CompletableFuture<KnobsApplied> restoreKnobs(String hostId);

  CompletableFuture<SnapshotTaken> takeSnapshot(String hostId, String vmIdentity, String runId,
      SampleKind kind);
}

package dev.kvmmp.probe.daemon;

import dev.kvmmp.proto.v1.CoordinatorToProbe;
import dev.kvmmp.proto.v1.HostSample;
import dev.kvmmp.proto.v1.ProbeMessage;
import dev.kvmmp.proto.v1.SampleKind;
import dev.kvmmp.proto.v1.SnapshotTaken;
import dev.kvmmp.proto.v1.TakeSnapshot;
import dev.kvmmp.proto.v1.VmCounters;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Answers the coordinator's requests: knob changes, and snapshots tagged with a run. */
final class ProbeCommands {

  private static final Set<SampleKind> SNAPSHOT_KINDS = EnumSet.of(
      SampleKind.SAMPLE_KIND_WINDOW_START, SampleKind.SAMPLE_KIND_WINDOW_END,
      SampleKind.SAMPLE_KIND_IDLE_BASELINE, SampleKind.SAMPLE_KIND_IDLE_BASELINE_END);

  private final KnobCommands knobs;
  private final SamplingLoop sampling;

  List<String> allowedKnobs() {
    return knobs.allowed();
  }

  ProbeCommands(KnobCommands knobs, SamplingLoop sampling) {
    this.knobs = knobs;
    this.sampling = sampling;
  }

  /** The answer to {@code request}; empty for a request this probe does not know. */
  Optional<ProbeMessage> answer(CoordinatorToProbe request) {
    return switch (request.getMessageCase()) {
      case APPLY_KNOBS -> Optional.of(ProbeMessage.newBuilder().setKnobsApplied(knobs.apply(
          request.getApplyKnobs().getRequestId(), request.getApplyKnobs().getKnobs())).build());
      case RESTORE_KNOBS -> Optional.of(ProbeMessage.newBuilder().setKnobsApplied(
          knobs.restore(request.getRestoreKnobs().getRequestId())).build());
      case TAKE_SNAPSHOT -> Optional.of(ProbeMessage.newBuilder()
          .setSnapshotTaken(snapshot(request.getTakeSnapshot())).build());
      default -> Optional.empty();
    };
  }

  /**
   * The whole sample goes to the sink, keeping the sequence whole; the answer carries the asked
   * VM's counters only.
   */
  private SnapshotTaken snapshot(TakeSnapshot request) {
    SnapshotTaken.Builder answer = SnapshotTaken.newBuilder()
        .setRequestId(request.getRequestId());
    if (!SNAPSHOT_KINDS.contains(request.getKind())) {
      return answer.setError("take_snapshot.kind: " + request.getKind() + "; expected one of "
          + SNAPSHOT_KINDS + " (periodic samples are the probe's own)").build();
    }
    HostSample sample;
    try {
      sample = sampling.take(request.getKind(), request.getRunId());
    } catch (RuntimeException e) {
      return answer.setError("the sample could not be taken: " + e).build();
    }
    if (request.getVmIdentity().isEmpty()) {
      return answer.setSample(sample).build();
    }
    HostSample.Builder ofOne = sample.toBuilder().clearVms();
    sample.getVmsList().stream()
        .filter(vm -> vm.getVmIdentity().equals(request.getVmIdentity()))
        .forEach(ofOne::addVms);
    answer.setSample(ofOne);
    if (ofOne.getVmsCount() == 0) {
      answer.setError("take_snapshot.vm_identity: no VM '" + request.getVmIdentity()
          + "' on host '" + sample.getHostId() + "' (VMs here: "
          + (sample.getVmsCount() == 0 ? "none" : sample.getVmsList().stream()
              .map(VmCounters::getVmIdentity).collect(Collectors.joining(", "))) + ")");
    }
    return answer.build();
  }
}

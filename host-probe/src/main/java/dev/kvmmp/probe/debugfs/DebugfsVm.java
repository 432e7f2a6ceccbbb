package dev.kvmmp.probe.debugfs;

import dev.kvmmp.proto.v1.VmCounters;
import java.util.List;
import java.util.Objects;

/**
 * One VM's directory under debugfs: its counters and, from {@code vcpuN/pid}, its vCPU thread
 * ids in vCPU order. A vCPU's id is 0 until its first {@code KVM_RUN}: KVM learns the thread
 * only then.
 */
public record DebugfsVm(VmCounters counters, List<Integer> vcpuTids) {

  public DebugfsVm {
    Objects.requireNonNull(counters, "counters");
    vcpuTids = List.copyOf(vcpuTids);
  }
}

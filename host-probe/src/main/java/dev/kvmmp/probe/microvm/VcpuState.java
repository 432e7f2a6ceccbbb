package dev.kvmmp.probe.microvm;

import java.util.Locale;

/**
 * Where a vCPU stood when a run gave up on it: registers, KVM's multiprocessing state (0
 * runnable, 1 uninitialized, 3 halted, ...) and the last exit reason seen by its thread.
 */
public record VcpuState(int vcpu, long rip, long rsp, long rflags, int mpState,
    int lastExitReason) {

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "vCPU %d: rip 0x%x rsp 0x%x rflags 0x%x mp_state %d (%s) "
        + "last exit %d", vcpu, rip, rsp, rflags, mpState, mpStateName(mpState), lastExitReason);
  }

  private static String mpStateName(int state) {
    return switch (state) {
      case 0 -> "runnable";
      case 1 -> "uninitialized";
      case 2 -> "init received";
      case 3 -> "halted";
      case 4 -> "sipi received";
      default -> "other";
    };
  }
}

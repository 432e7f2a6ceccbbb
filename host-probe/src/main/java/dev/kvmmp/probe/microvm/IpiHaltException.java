package dev.kvmmp.probe.microvm;

import java.util.List;

/**
 * An ipi_halt run that did not finish: past its deadline, cancelled, or a vCPU failed. Carries
 * where each vCPU stood once its thread was stopped; the VM is gone by the time this is thrown.
 */
public final class IpiHaltException extends KvmException {

  private final transient List<VcpuState> states;

  IpiHaltException(String message, List<VcpuState> states) {
    super(message + (states.isEmpty() ? "" : "; " + states));
    this.states = List.copyOf(states);
  }

  /** The vCPUs' states after their threads stopped; empty when they could not be read. */
  public List<VcpuState> states() {
    return states;
  }
}

package dev.kvmmp.probe.events;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Names of the KVM exit reasons worth counting one by one, for VMX (Intel, {@code
 * arch/x86/include/uapi/asm/vmx.h}) and SVM (AMD, {@code arch/x86/include/uapi/asm/svm.h}). Not
 * every reason: each one named here costs a perf counter per vCPU thread, so only those that
 * explain message-passing latency (timers, IPIs, halts, MSR and APIC access) and a few common ones.
 */
public final class ExitReasons {

  /** The value of {@code ExitCount.isa} for Intel hosts. */
  public static final String VMX = "vmx";
  /** The value of {@code ExitCount.isa} for AMD hosts. */
  public static final String SVM = "svm";

  /** The ISA whose exit reasons a host of this CPU vendor ({@code HostFacts.cpu_vendor}) has. */
  public static String isaOf(String cpuVendor) {
    return "AuthenticAMD".equals(cpuVendor) ? SVM : VMX;
  }

  private static final Map<Integer, String> VMX_REASONS = sorted(Map.ofEntries(
      Map.entry(0, "EXCEPTION_NMI"),
      Map.entry(1, "EXTERNAL_INTERRUPT"),
      Map.entry(7, "INTERRUPT_WINDOW"),
      Map.entry(10, "CPUID"),
      Map.entry(12, "HLT"),
      Map.entry(30, "IO_INSTRUCTION"),
      Map.entry(31, "MSR_READ"),
      Map.entry(32, "MSR_WRITE"),
      Map.entry(48, "EPT_VIOLATION"),
      Map.entry(49, "EPT_MISCONFIG"),
      Map.entry(52, "PREEMPTION_TIMER"),
      Map.entry(56, "APIC_WRITE")));

  private static final Map<Integer, String> SVM_REASONS = sorted(Map.ofEntries(
      Map.entry(0x60, "INTR"),
      Map.entry(0x72, "CPUID"),
      Map.entry(0x78, "HLT"),
      Map.entry(0x7b, "IOIO"),
      // One reason for reads and writes; info1 tells them apart (1 = write).
      Map.entry(0x7c, "MSR"),
      Map.entry(0x81, "VMMCALL"),
      Map.entry(0x400, "NPF"),
      Map.entry(0x401, "AVIC_INCOMPLETE_IPI"),
      Map.entry(0x402, "AVIC_UNACCELERATED_ACCESS")));

  private ExitReasons() {}

  /**
   * The named exit reasons of {@code isa}, by code in ascending order.
   *
   * @throws IllegalArgumentException when {@code isa} is neither "vmx" nor "svm"
   */
  public static Map<Integer, String> of(String isa) {
    if (VMX.equals(isa)) {
      return VMX_REASONS;
    }
    if (SVM.equals(isa)) {
      return SVM_REASONS;
    }
    throw new IllegalArgumentException("isa '" + isa + "': expected \"" + VMX + "\" or \"" + SVM
        + "\"");
  }

  /** The name of exit {@code reason} on {@code isa}; empty for a reason not named here. */
  public static Optional<String> name(String isa, int reason) {
    return Optional.ofNullable(of(isa).get(reason));
  }

  private static Map<Integer, String> sorted(Map<Integer, String> reasons) {
    return Collections.unmodifiableMap(new TreeMap<>(reasons));
  }
}

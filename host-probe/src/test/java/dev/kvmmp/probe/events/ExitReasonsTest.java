package dev.kvmmp.probe.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ExitReasonsTest {

  @Test
  void namesTheVmxReasonsOfTheNotes() {
    assertThat(ExitReasons.of("vmx")).containsEntry(1, "EXTERNAL_INTERRUPT")
        .containsEntry(12, "HLT").containsEntry(31, "MSR_READ").containsEntry(32, "MSR_WRITE")
        .containsEntry(48, "EPT_VIOLATION").containsEntry(52, "PREEMPTION_TIMER")
        .containsEntry(56, "APIC_WRITE").containsEntry(0, "EXCEPTION_NMI")
        .containsEntry(7, "INTERRUPT_WINDOW").containsEntry(10, "CPUID")
        .containsEntry(30, "IO_INSTRUCTION").containsEntry(49, "EPT_MISCONFIG");
  }

  @Test
  void namesTheSvmReasonsOfTheNotes() {
    assertThat(ExitReasons.of("svm")).containsEntry(0x60, "INTR").containsEntry(0x78, "HLT")
        .containsEntry(0x7c, "MSR").containsEntry(0x81, "VMMCALL").containsEntry(0x400, "NPF")
        .containsEntry(0x401, "AVIC_INCOMPLETE_IPI")
        .containsEntry(0x402, "AVIC_UNACCELERATED_ACCESS").containsEntry(0x7b, "IOIO")
        .containsEntry(0x72, "CPUID");
  }

  @Test
  void listsReasonsInAscendingOrderSoReportsAreStable() {
    assertThat(List.copyOf(ExitReasons.of("svm").keySet())).isSorted();
    assertThat(List.copyOf(ExitReasons.of("vmx").keySet())).isSorted();
  }

  @Test
  void looksUpOneReasonAndIsEmptyForUnnamedOnes() {
    assertThat(ExitReasons.name("vmx", 12)).hasValue("HLT");
    assertThat(ExitReasons.name("svm", 12)).isEmpty();
  }

  @Test
  void rejectsAnUnknownIsaByName() {
    assertThatThrownBy(() -> ExitReasons.of("arm64")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'arm64'");
  }
}

package dev.kvmmp.probe.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvmmp.perf.Tracefs;
import dev.kvmmp.proto.v1.VmCounters;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Without the kernel: what is missing is listed, not counted as 0. */
class KvmEventCountersTest {

  @Test
  void withoutTracepointsEveryCounterIsMissingAndNothingIsFilled(@TempDir Path emptyTracefs)
      throws Exception {
    try (KvmEventCounters counters =
        KvmEventCounters.open(List.of(1), "svm", Optional.of(Tracefs.at(emptyTracefs)))) {
      assertThat(counters.missing()).hasSize(CounterSpec.forIsa("svm").size())
          .allSatisfy(m -> assertThat(m.reason()).startsWith("no tracepoint kvm:"));
      assertThat(counters.missing()).extracting(KvmEventCounters.Missing::counter)
          .contains("kvm:kvm_exit [exit_reason==120] (HLT)",
              "kvm:kvm_msr [write==1 && ecx==0x830] (ICR)", "kvm:kvm_apic_ipi");
      VmCounters filled = counters.fill(VmCounters.newBuilder()).build();
      assertThat(filled.getExitsByReasonList()).isEmpty();
      assertThat(filled.getMsrWritesList()).isEmpty();
      assertThat(filled.getEventsMap()).isEmpty();
    }
  }

  @Test
  void withoutTracefsTheReasonSaysSo() {
    try (KvmEventCounters counters =
        KvmEventCounters.open(List.of(1), "vmx", Optional.empty())) {
      assertThat(counters.missing()).isNotEmpty()
          .allSatisfy(m -> assertThat(m.reason()).startsWith("no tracefs"));
    }
  }
}

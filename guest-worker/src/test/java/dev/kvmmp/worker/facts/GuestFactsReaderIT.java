package dev.kvmmp.worker.facts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvmmp.proto.v1.GuestFacts;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Reads this machine's own facts, and checks them against what the JVM sees. */
class GuestFactsReaderIT {

  @Test
  void readsThisMachine() {
    GuestFacts facts = new GuestFactsReader(Path.of("/")).read();

    assertThat(facts.getVcpus()).isGreaterThanOrEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(facts.getKernelRelease()).isEqualTo(System.getProperty("os.version"));
    assertThat(facts.getCpuModel()).isNotEmpty();
    assertThat(facts.getCpuFamily()).isPositive();
    assertThat(facts.getCpuFlagsList()).contains("fpu");
    assertThat(facts.getKernelCmdline()).isNotEmpty();
    assertThat(facts.getVmIdentity()).isNotEmpty();
    assertThat(facts.getTickMode()).isIn("periodic", "idle", "full", "unknown");
    assertThat(facts.getClocksource()).isNotEmpty();
  }
}

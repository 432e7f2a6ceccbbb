package dev.kvmmp.probe.facts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kvmmp.proto.v1.HostFacts;
import dev.kvmmp.proto.v1.KnobValue;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads the facts of the machine the build runs on. */
class HostFactsReaderIT {

  private static final Logger log = LoggerFactory.getLogger(HostFactsReaderIT.class);

  private static HostFacts facts;

  @BeforeAll
  static void readOnce() {
    assumeTrue(Files.isDirectory(Path.of("/sys/module/kvm")),
        "the kvm module is not loaded on this machine: not a KVM host");
    facts = new HostFactsReader(Path.of("/")).read();
    log.info("host facts of this machine:\n{}", facts);
  }

  @Test
  void readsTheBasicsOfThisHost() {
    assertThat(facts.getCpus()).isGreaterThanOrEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(facts.getKernelRelease()).isEqualTo(System.getProperty("os.version"));
    assertThat(facts.getCpuGeneration()).isNotBlank();
    assertThat(facts.getCpuVendor()).isNotEmpty();
    assertThat(facts.getTickMode()).isIn("periodic", "idle", "full", "unknown");
    assertThat(facts.getLockdown()).isIn("none", "integrity", "confidentiality");
    assertThat(facts.getKvmParamsList()).extracting(KnobValue::getName)
        .contains("kvm.halt_poll_ns");
  }

  @Test
  void haltPollNsIsReadOnlyUnderPvmNesting() {
    // On an ordinary host the parameter is 0644; kvm_pvm nesting (this dev machine) makes it 0444.
    assumeTrue(Files.isDirectory(Path.of("/sys/module/kvm_pvm")),
        "kvm_pvm is not loaded: halt_poll_ns is writable on ordinary hosts");
    assertThat(facts.getKvmParamsList())
        .filteredOn(k -> k.getName().equals("kvm.halt_poll_ns"))
        .singleElement()
        .matches(k -> !k.getWritable(), "read-only");
  }
}

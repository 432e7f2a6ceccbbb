package dev.kvmmp.probe.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvmmp.probe.knobs.HostKnobs;
import dev.kvmmp.proto.v1.HostSample;
import dev.kvmmp.proto.v1.KnobValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's start and stop on a host tree in a temp directory, without a coordinator. */
class ProbeDaemonTest {

  @TempDir
  Path root;
  @TempDir
  Path stateDir;

  private ProbeHostTree tree;

  @BeforeEach
  void layOut() throws Exception {
    tree = new ProbeHostTree(root);
    Files.createDirectories(root.resolve("proc"));
    tree.write("etc/machine-id", "0123456789abcdef0123456789abcdef\n");
  }

  @Test
  void putsBackTheKnobsAKilledProbeLeftSetBeforeItsFirstSample() throws Exception {
    // Applied and never put back: the probe that did it was killed.
    new HostKnobs(root, HostKnobs.journalIn(stateDir), ProbeConfig.ALL_KNOBS)
        .apply(dev.kvmmp.proto.v1.HostKnobs.newBuilder().setHaltPollNs(0).build());
    assertThat(tree.param("halt_poll_ns")).isEqualTo("0");
    RecordingSampleSink sink = new RecordingSampleSink();

    try (ProbeDaemon daemon = ProbeDaemon.start(config(Optional.empty()), registry -> sink)) {
      assertThat(daemon.hostId()).isEqualTo("0123456789abcdef0123456789abcdef");
      assertThat(tree.param("halt_poll_ns")).isEqualTo("200000");
      assertThat(HostKnobs.journalIn(stateDir)).doesNotExist();
      HostSample first = sink.await(sample -> sample.getSequence() == 1);
      assertThat(first.getHostId()).isEqualTo(daemon.hostId());
      assertThat(first.getKnobsList()).extracting(KnobValue::getName, KnobValue::getValue)
          .contains(org.assertj.core.api.Assertions.tuple("halt_poll_ns", "200000"));
    }
    assertThat(sink.closed).as("the sink delivers what it keeps on close").isTrue();
  }

  @Test
  void refusesToStartWithoutAHostIdWhereTheHostHasNoMachineId() throws Exception {
    Files.delete(root.resolve("etc/machine-id"));

    assertThatThrownBy(() -> ProbeDaemon.start(config(Optional.empty()),
        id -> new RecordingSampleSink()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--host-id: not given, and " + root.resolve("etc/machine-id")
            + " is missing or empty: give one");
  }

  private ProbeConfig config(Optional<String> hostId) {
    return new ProbeConfig(Optional.empty(), Optional.empty(), hostId, Duration.ofHours(1),
        root, stateDir, "127.0.0.1", OptionalInt.empty(), Duration.ofSeconds(1),
        ProbeConfig.ALL_KNOBS);
  }
}

package dev.kvmmp.probe.knobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.kvmmp.knobs.AppliedKnobs;
import dev.kvmmp.knobs.KnobException;
import dev.kvmmp.knobs.RecoveryOutcome;
import dev.kvmmp.proto.v1.HostKnobs;
import dev.kvmmp.proto.v1.KnobValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Host knobs on a directory laid out like the kvm module's parameters. */
class HostKnobsTest {

  private static final String PARAMS = "sys/module/kvm/parameters/";
  private static final Set<String> ALL = Set.of("halt_poll_ns", "halt_poll_ns_grow",
      "halt_poll_ns_grow_start", "halt_poll_ns_shrink");

  @TempDir
  Path root;
  @TempDir
  Path stateDir;

  private Path journal;

  @BeforeEach
  void layOutSysfs() throws IOException {
    // A host with halt polling tunable: the kvm module's defaults, mode 0644.
    param("halt_poll_ns", "200000", "rw-r--r--");
    param("halt_poll_ns_grow", "2", "rw-r--r--");
    param("halt_poll_ns_grow_start", "10000", "rw-r--r--");
    param("halt_poll_ns_shrink", "0", "rw-r--r--");
    Files.createDirectories(root.resolve("proc/sys/kernel/random"));
    Files.writeString(root.resolve("proc/sys/kernel/random/boot_id"), "boot-1\n");
    journal = dev.kvmmp.probe.knobs.HostKnobs.journalIn(stateDir);
  }

  @Test
  void setsTheKnobsReadsThemBackAndPutsThemBackOnClose() throws Exception {
    Map<String, String> before = snapshot();

    try (AppliedKnobs applied = knobs(ALL).apply(HostKnobs.newBuilder()
        .setHaltPollNs(0).setHaltPollNsGrow(4).build())) {
      assertThat(applied.values()).extracting(KnobValue::getName, KnobValue::getValue)
          .containsExactly(tuple("halt_poll_ns", "0"),
              tuple("halt_poll_ns_grow", "4"));
      assertThat(get("halt_poll_ns")).isEqualTo("0");
      assertThat(journal).exists();
    }

    assertThat(snapshot()).isEqualTo(before);
    assertThat(journal).doesNotExist();
  }

  @Test
  void recoverPutsBackWhatAKilledProbeLeftSet() throws Exception {
    Map<String, String> before = snapshot();
    // Applied and never closed: the probe that did it is gone.
    knobs(ALL).apply(HostKnobs.newBuilder().setHaltPollNs(50_000).setHaltPollNsShrink(2)
        .build());
    assertThat(get("halt_poll_ns")).isEqualTo("50000");

    RecoveryOutcome outcome = knobs(ALL).recover();

    assertThat(outcome).isEqualTo(RecoveryOutcome.RESTORED);
    assertThat(snapshot()).isEqualTo(before);
    assertThat(journal).doesNotExist();
  }

  @Test
  void refusesAReadOnlyParameterWithTheReasonAndWritesNothing() throws IOException {
    param("halt_poll_ns", "200000", "r--r--r--");
    Map<String, String> before = snapshot();

    assertThatThrownBy(() -> knobs(ALL).apply(HostKnobs.newBuilder().setHaltPollNs(0)
        .setHaltPollNsGrow(4).build()))
        .isInstanceOf(KnobException.class)
        .hasMessage("halt_poll_ns: /sys/module/kvm/parameters/halt_poll_ns is read-only on this "
            + "host (0444: the kvm module was loaded with it fixed, e.g. a nested or "
            + "locked-down host); per-VM halt polling (KVM_CAP_HALT_POLL) is the way here");
    assertThat(snapshot()).as("the writable grow is not set either").isEqualTo(before);
    assertThat(journal).doesNotExist();
  }

  @Test
  void refusesAKnobOutsideTheAllowlist() {
    Map<String, String> before = snapshot();

    assertThatThrownBy(() -> knobs(Set.of("halt_poll_ns_shrink", "halt_poll_ns_grow"))
        .apply(HostKnobs.newBuilder().setHaltPollNs(0).build()))
        .isInstanceOf(KnobException.class)
        .hasMessage("halt_poll_ns: not on this probe's allowlist (allowed: halt_poll_ns_grow, "
            + "halt_poll_ns_shrink)");
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void refusesEveryBadKnobAtOnce() throws IOException {
    param("halt_poll_ns_shrink", "0", "r--r--r--");
    Map<String, String> before = snapshot();

    assertThatThrownBy(() -> knobs(Set.of("halt_poll_ns", "halt_poll_ns_shrink"))
        .apply(HostKnobs.newBuilder().setHaltPollNs(5_000_000_000L).setHaltPollNsGrow(4)
            .setHaltPollNsShrink(2).build()))
        .isInstanceOf(KnobException.class)
        .hasMessageContaining("halt_poll_ns: 5000000000 is out of range (0..4294967295")
        .hasMessageContaining("halt_poll_ns_grow: not on this probe's allowlist")
        .hasMessageContaining("halt_poll_ns_shrink: /sys/module/kvm/parameters/"
            + "halt_poll_ns_shrink is read-only");
    assertThat(snapshot()).isEqualTo(before);
    assertThat(journal).doesNotExist();
  }

  @Test
  void anEmptyMessageChangesNothingAndWritesNoJournal() throws Exception {
    try (AppliedKnobs applied = knobs(ALL).apply(HostKnobs.getDefaultInstance())) {
      assertThat(applied.values()).isEmpty();
    }
    assertThat(journal).doesNotExist();
  }

  @Test
  void refusesAnAllowlistNamingNoHostKnob() {
    assertThatThrownBy(() -> knobs(Set.of("enable_apicv")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'enable_apicv'");
  }

  private dev.kvmmp.probe.knobs.HostKnobs knobs(Set<String> allowlist) {
    return new dev.kvmmp.probe.knobs.HostKnobs(root, journal, allowlist);
  }

  private void param(String name, String value, String mode) throws IOException {
    Path file = root.resolve(PARAMS + name);
    Files.createDirectories(file.getParent());
    if (Files.exists(file)) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    }
    Files.writeString(file, value + "\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
  }

  private String get(String name) throws IOException {
    return Files.readString(root.resolve(PARAMS + name)).trim();
  }

  private Map<String, String> snapshot() {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.filter(Files::isRegularFile).forEach(file -> {
        try {
          files.put(root.relativize(file).toString(), Files.readString(file));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }
}

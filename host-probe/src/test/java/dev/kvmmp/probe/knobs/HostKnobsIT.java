package dev.kvmmp.probe.knobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kvmmp.knobs.KnobException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Host knobs on this machine, whose kvm module has halt_poll_ns fixed (0444, as on a nested
 * host): a run that asks for it is refused with the reason and the machine stays as it was.
 */
class HostKnobsIT {

  private static final Path HALT_POLL_NS = Path.of("/sys/module/kvm/parameters/halt_poll_ns");

  @TempDir
  Path stateDir;

  @Test
  void refusesHaltPollNsOnAHostWhereItIsReadOnlyAndChangesNothing() throws Exception {
    assumeTrue(Files.isRegularFile(HALT_POLL_NS), "no kvm module loaded: " + HALT_POLL_NS
        + " is missing");
    Set<PosixFilePermission> mode = Files.getPosixFilePermissions(HALT_POLL_NS);
    assumeTrue(!mode.contains(PosixFilePermission.OWNER_WRITE)
        && !mode.contains(PosixFilePermission.GROUP_WRITE)
        && !mode.contains(PosixFilePermission.OTHERS_WRITE),
        HALT_POLL_NS + " is writable here; this test is for a host where it is read-only");
    String before = Files.readString(HALT_POLL_NS).trim();
    Path journal = HostKnobs.journalIn(stateDir);
    HostKnobs knobs = new HostKnobs(Path.of("/"), journal, Set.of("halt_poll_ns"));

    assertThatThrownBy(() -> knobs.apply(dev.kvmmp.proto.v1.HostKnobs.newBuilder()
        .setHaltPollNs("0".equals(before) ? 200_000 : 0).build()))
        .isInstanceOf(KnobException.class)
        .hasMessage("halt_poll_ns: /sys/module/kvm/parameters/halt_poll_ns is read-only on this "
            + "host (0444: the kvm module was loaded with it fixed, e.g. a nested or "
            + "locked-down host); per-VM halt polling (KVM_CAP_HALT_POLL) is the way here");
    assertThat(Files.readString(HALT_POLL_NS).trim()).isEqualTo(before);
    assertThat(journal).doesNotExist();
  }
}

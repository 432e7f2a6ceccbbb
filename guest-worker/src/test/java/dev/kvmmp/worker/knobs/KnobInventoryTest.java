package dev.kvmmp.worker.knobs;

import static dev.kvmmp.worker.knobs.FakeSysfs.GOVERNOR;
import static dev.kvmmp.worker.knobs.FakeSysfs.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kvmmp.proto.v1.KnobValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnobInventoryTest {

  @TempDir
  Path root;

  private static KnobValue value(String name, String value, boolean writable) {
    return KnobValue.newBuilder().setName(name).setValue(value).setWritable(writable).build();
  }

  @Test
  void listsEveryKnobWithItsValueAndWhetherItCanBeWritten() throws Exception {
    FakeSysfs sysfs = FakeSysfs.firecrackerGuest(root);
    sysfs.set(state(1, 1, "disable"), "1");
    Files.setPosixFilePermissions(sysfs.path(state(0, 0, "disable")),
        PosixFilePermissions.fromString("r--r--r--"));

    assertThat(new KnobInventory(root).available()).containsExactly(
        value("guest_halt_poll_ns", "0", true),
        value("guest_halt_poll_grow", "2", true),
        value("guest_halt_poll_grow_start", "50000", true),
        value("guest_halt_poll_shrink", "2", true),
        value("guest_halt_poll_allow_shrink", "Y", true),
        value("cpuidle_governor", "haltpoll", true),
        value("cpuidle_available_governors", "ladder menu haltpoll", false),
        value("idle_state_disabled:POLL", "0", false),
        value("idle_state_disabled:haltpoll idle", "mixed", true));
  }

  @Test
  void reportsTheGovernorAsReadOnlyWhereTheKernelOnlyShowsIt() {
    FakeSysfs sysfs = FakeSysfs.firecrackerGuest(root);
    sysfs.delete(GOVERNOR);

    assertThat(new KnobInventory(root).available())
        .contains(value("cpuidle_governor", "haltpoll", false));
  }

  @Test
  void aGuestWithoutTheKnobsHasNone() {
    assertThat(new KnobInventory(root).available()).isEmpty();
  }
}

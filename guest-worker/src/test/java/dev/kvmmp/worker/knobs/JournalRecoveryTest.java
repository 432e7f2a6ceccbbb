package dev.kvmmp.worker.knobs;

import dev.kvmmp.knobs.KnobJournal;
import dev.kvmmp.knobs.RecoveryOutcome;
import static dev.kvmmp.worker.knobs.FakeSysfs.GOVERNOR;
import static dev.kvmmp.worker.knobs.FakeSysfs.NS;
import static dev.kvmmp.worker.knobs.FakeSysfs.state;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kvmmp.proto.v1.GuestProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a worker does at start with the journal a killed worker left. */
class JournalRecoveryTest {

  @TempDir
  Path root;
  @TempDir
  Path stateDir;

  private FakeSysfs sysfs;
  private Path journal;

  @BeforeEach
  void layOutSysfs() {
    sysfs = FakeSysfs.firecrackerGuest(root);
    journal = GuestKnobs.journalIn(stateDir);
  }

  @Test
  void putsBackWhatAKilledWorkerLeftSetAndDeletesTheJournal() throws Exception {
    Map<String, String> before = sysfs.snapshot();
    // Applied and never closed: the worker that did it is gone.
    new GuestKnobs(root, journal).apply(GuestProfile.newBuilder().setGuestHaltPollNs(200_000)
        .setCpuidleGovernor("menu").addDisabledIdleStates("haltpoll idle").build(),
        List.of(0, 1));
    assertThat(sysfs.get(GOVERNOR)).isEqualTo("menu");

    RecoveryOutcome outcome = new GuestKnobs(root, journal).recover();

    assertThat(outcome).isEqualTo(RecoveryOutcome.RESTORED);
    assertThat(sysfs.snapshot()).isEqualTo(before);
    assertThat(journal).doesNotExist();
  }

  @Test
  void withoutAJournalThereIsNothingToDo() {
    assertThat(new GuestKnobs(root, journal).recover())
        .isEqualTo(RecoveryOutcome.NOTHING_TO_RESTORE);
  }

  @Test
  void leavesACorruptJournalInPlaceAndWritesNothing() throws Exception {
    sysfs.set(NS, "200000");
    Files.writeString(journal, GuestKnobs.FAMILY.journalHeader() + "\nboot_id\t\nrestore\tguest_halt_poll_ns\t"
        + NS + "\t0\n");
    Map<String, String> before = sysfs.snapshot();

    RecoveryOutcome outcome = new GuestKnobs(root, journal).recover();

    assertThat(outcome).as("no 'end' line: truncated").isEqualTo(RecoveryOutcome.CORRUPT);
    assertThat(sysfs.snapshot()).isEqualTo(before);
    assertThat(journal).exists();
  }

  @Test
  void refusesAJournalThatNamesAFileThatIsNoGuestKnob() throws Exception {
    sysfs.set("etc/shadow", "root:x");
    Files.writeString(journal, GuestKnobs.FAMILY.journalHeader() + "\nboot_id\t\n"
        + "restore\tguest_halt_poll_ns\tetc/shadow\tpwned\nend\t1\n");

    RecoveryOutcome outcome = new GuestKnobs(root, journal).recover();

    assertThat(outcome).isEqualTo(RecoveryOutcome.CORRUPT);
    assertThat(sysfs.get("etc/shadow")).isEqualTo("root:x");
    assertThat(journal).exists();
  }

  @Test
  void dropsAJournalFromAnEarlierBootWithoutWriting() throws Exception {
    sysfs.set(NS, "100");
    Files.writeString(journal, GuestKnobs.FAMILY.journalHeader() + "\nboot_id\tsome-earlier-boot\n"
        + "restore\tguest_halt_poll_ns\t" + NS + "\t0\nend\t1\n");

    RecoveryOutcome outcome = new GuestKnobs(root, journal).recover();

    assertThat(outcome).isEqualTo(RecoveryOutcome.EARLIER_BOOT);
    assertThat(sysfs.get(NS)).as("the reboot reset it; 100 is the admin's").isEqualTo("100");
    assertThat(journal).doesNotExist();
  }

  @Test
  void keepsTheJournalWhenAnOriginalCannotBePutBack() throws Exception {
    new GuestKnobs(root, journal).apply(GuestProfile.newBuilder().setGuestHaltPollNs(200_000)
        .addDisabledIdleStates("POLL").build(), List.of(1));
    ScriptedKnobFiles files = new ScriptedKnobFiles()
        .failWrites(sysfs.path(NS), "Permission denied");

    RecoveryOutcome outcome = new GuestKnobs(root, journal, files).recover();

    assertThat(outcome).isEqualTo(RecoveryOutcome.FAILED);
    assertThat(sysfs.get(state(1, 0, "disable"))).as("the others are put back").isEqualTo("0");
    assertThat(journal).exists();
  }
}

package dev.kvmmp.knobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Recovery with a caller's allowlist: what a process killed mid-run left set is put back. */
class JournalRecoveryTest {

  private static final String NS = "sys/module/kvm/parameters/halt_poll_ns";
  private static final KnobFamily HOST =
      new KnobFamily("host knob", "probe", file -> file.startsWith("sys/module/kvm/parameters/"));

  @TempDir
  Path root;
  @TempDir
  Path stateDir;

  private KnobJournal journal;

  @BeforeEach
  void layOut() throws Exception {
    Files.createDirectories(root.resolve(NS).getParent());
    Files.writeString(root.resolve(NS), "200000\n");
    Files.createDirectories(root.resolve(BootId.FILE).getParent());
    Files.writeString(root.resolve(BootId.FILE), "boot-now\n");
    journal = new KnobJournal(stateDir.resolve("host-knobs.journal"), HOST);
  }

  private RecoveryOutcome recover() {
    return new JournalRecovery(journal, new KnobRestorer(root, KnobFiles.sysfs()),
        new BootId(root, KnobFiles.sysfs())).run();
  }

  @Test
  void putsBackAnAllowedFileAndDeletesTheJournal() throws Exception {
    journal.write("boot-now", List.of(new KnobWrite("halt_poll_ns", NS, "0")));

    assertThat(recover()).isEqualTo(RecoveryOutcome.RESTORED);
    assertThat(Files.readString(root.resolve(NS)).trim()).isEqualTo("0");
    assertThat(journal.exists()).isFalse();
  }

  @Test
  void leavesAJournalNamingAFileOutsideTheAllowlistAndWritesNothing() throws Exception {
    Files.writeString(root.resolve("shadow"), "root:x\n");
    Files.writeString(journal.file(), HOST.journalHeader() + "\nboot_id\t\n"
        + "restore\tx\tshadow\tpwned\nend\t1\n");

    assertThat(recover()).isEqualTo(RecoveryOutcome.CORRUPT);
    assertThat(Files.readString(root.resolve("shadow"))).isEqualTo("root:x\n");
    assertThat(journal.exists()).isTrue();
  }

  @Test
  void dropsAJournalFromAnEarlierBoot() throws Exception {
    journal.write("boot-before", List.of(new KnobWrite("halt_poll_ns", NS, "0")));

    assertThat(recover()).isEqualTo(RecoveryOutcome.EARLIER_BOOT);
    assertThat(Files.readString(root.resolve(NS)).trim()).isEqualTo("200000");
    assertThat(journal.exists()).isFalse();
  }
}

package dev.kvmmp.knobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal's format, and the allowlist that decides which files it may name. */
class KnobJournalTest {

  private static final String NS = "sys/module/kvm/parameters/halt_poll_ns";
  private static final KnobFamily HOST =
      new KnobFamily("host knob", "probe", file -> file.startsWith("sys/module/kvm/parameters/"));

  @TempDir
  Path dir;

  @Test
  void readsBackWhatItWroteInOrder() throws Exception {
    KnobJournal journal = new KnobJournal(dir.resolve("j"), HOST);
    List<KnobWrite> originals = List.of(new KnobWrite("halt_poll_ns", NS, "200000"),
        new KnobWrite("halt_poll_ns_grow", NS + "_grow", "2"));

    journal.write("boot-1", originals);

    assertThat(journal.read()).isEqualTo(new KnobJournal.Contents("boot-1", originals));
    assertThat(Files.readAllLines(journal.file()).get(0))
        .isEqualTo("kvmmp host-knobs journal v1");
  }

  @Test
  void aJournalNamingAFileOutsideTheAllowlistIsCorrupt() throws Exception {
    KnobJournal journal = new KnobJournal(dir.resolve("j"), HOST);
    Files.writeString(journal.file(), HOST.journalHeader() + "\nboot_id\t\n"
        + "restore\thalt_poll_ns\tetc/shadow\tpwned\nend\t1\n");

    assertThatThrownBy(journal::read).isInstanceOf(KnobJournal.CorruptJournalException.class)
        .hasMessage("line 3: 'etc/shadow' is not a host knob file");
  }

  @Test
  void refusesToJournalAFileOutsideTheAllowlist() {
    KnobJournal journal = new KnobJournal(dir.resolve("j"), HOST);

    assertThatThrownBy(() -> journal.write("", List.of(new KnobWrite("x", "etc/shadow", "1"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("etc/shadow");
    assertThat(journal.exists()).isFalse();
  }

  @Test
  void anotherFamilysJournalIsCorrupt() throws Exception {
    KnobFamily guest = new KnobFamily("guest knob", "worker", file -> true);
    new KnobJournal(dir.resolve("j"), guest).write("", List.of());

    assertThatThrownBy(() -> new KnobJournal(dir.resolve("j"), HOST).read())
        .isInstanceOf(KnobJournal.CorruptJournalException.class)
        .hasMessageContaining("kvmmp host-knobs journal v1");
  }

  @Test
  void aJournalWithoutItsEndLineIsCorrupt() throws Exception {
    KnobJournal journal = new KnobJournal(dir.resolve("j"), HOST);
    Files.writeString(journal.file(), HOST.journalHeader() + "\nboot_id\t\n"
        + "restore\thalt_poll_ns\t" + NS + "\t0\n");

    assertThatThrownBy(journal::read).isInstanceOf(KnobJournal.CorruptJournalException.class)
        .hasMessageContaining("incomplete");
  }
}

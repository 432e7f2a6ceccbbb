package dev.kvmmp.knobs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts back the knobs of a run whose owner (a worker, a probe) died before it could (SIGKILL,
 * OOM killer, a JVM crash). Logs what it did and never throws: an owner that cannot recover
 * still serves, and its log says loudly what a human must check. Only files the journal's
 * {@link KnobFamily} allows are written; a journal naming another is corrupt.
 */
public final class JournalRecovery {

  private static final Logger log = LoggerFactory.getLogger(JournalRecovery.class);

  private final KnobJournal journal;
  private final KnobRestorer restorer;
  private final BootId bootId;

  public JournalRecovery(KnobJournal journal, KnobRestorer restorer, BootId bootId) {
    this.journal = journal;
    this.restorer = restorer;
    this.bootId = bootId;
  }

  public RecoveryOutcome run() {
    if (!journal.exists()) {
      return RecoveryOutcome.NOTHING_TO_RESTORE;
    }
    Path file = journal.file();
    KnobFamily family = journal.family();
    String tag = family.knobs().replace(' ', '-');
    try {
      KnobJournal.Contents contents = journal.read();
      String now = bootId.current();
      if (!contents.bootId().isEmpty() && !now.isEmpty() && !contents.bootId().equals(now)) {
        journal.delete();
        log.info("{} journal {} is from an earlier boot, and that reboot reset the "
            + "knobs it lists; deleted it", tag, file);
        return RecoveryOutcome.EARLIER_BOOT;
      }
      Map<KnobWrite, String> failed = restorer.restore(contents.originals());
      if (!failed.isEmpty()) {
        log.error("could not put back {} that a previous {} left set: {}; the "
            + "journal {} stays for the next start, and runs that set {} are refused "
            + "until it is gone: set these values by hand, then delete it",
            family.knobs(), family.owner(), KnobRestorer.describe(failed), file, family.knobs());
        return RecoveryOutcome.FAILED;
      }
      journal.delete();
      log.warn("put back {} {} value(s) that a previous {} left set when it "
          + "stopped mid-run: {}", contents.originals().size(), family.knob(), family.owner(),
          contents.originals().stream()
              .map(original -> original.knob() + " = '" + original.value() + "' ("
                  + original.shownFile() + ")")
              .collect(Collectors.joining(", ")));
      return RecoveryOutcome.RESTORED;
    } catch (KnobJournal.CorruptJournalException e) {
      log.error("{} journal {} is corrupt ({}); the knobs it lists were NOT put back: "
          + "compare its values with the files under /sys, set them by hand, then delete it "
          + "(runs that set {} are refused until it is gone)", tag, file, e.getMessage(),
          family.knobs());
      return RecoveryOutcome.CORRUPT;
    } catch (IOException | RuntimeException e) {
      log.error("could not recover {} from the journal {}: {}; it stays in place: "
          + "check the values in it against /sys by hand, then delete it", family.knobs(), file,
          e.toString());
      return RecoveryOutcome.FAILED;
    }
  }
}

package dev.kvmmp.knobs;

/** What {@link JournalRecovery#run()} found and did. */
public enum RecoveryOutcome {
  /** No journal: the last owner put its knobs back, or never set any. */
  NOTHING_TO_RESTORE,
  /** A journal was there; every original in it was put back and the journal deleted. */
  RESTORED,
  /** The journal is from an earlier boot, whose reboot already reset the knobs; deleted. */
  EARLIER_BOOT,
  /** The journal cannot be read as one; left in place for a human. */
  CORRUPT,
  /** Some original could not be put back, or the journal not read or deleted; left in place. */
  FAILED
}

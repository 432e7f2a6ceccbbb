package dev.kvmmp.knobs;

import dev.kvmmp.proto.v1.KnobValue;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Knobs a run has set. {@link #close()} puts every original back and deletes the journal;
 * closing again does nothing, or retries what failed before.
 */
public final class AppliedKnobs implements AutoCloseable {

  private final List<KnobValue> values;
  private final KnobFamily family;
  private final KnobRestorer restorer;
  private final KnobJournal journal;
  private List<KnobWrite> pending;
  private boolean journalDeleted;

  AppliedKnobs(KnobFamily family, List<KnobValue> values, List<KnobWrite> originals,
      KnobRestorer restorer, KnobJournal journal) {
    this.family = family;
    this.values = List.copyOf(values);
    this.pending = List.copyOf(originals);
    this.restorer = restorer;
    this.journal = journal;
    this.journalDeleted = journal == null;
  }

  /** Knobs left as they were: nothing to report, nothing to restore. */
  public static AppliedKnobs none() {
    return new AppliedKnobs(null, List.of(), List.of(), null, null);
  }

  /** The knobs as read back after setting them, named as their planner names them. */
  public List<KnobValue> values() {
    return values;
  }

  /**
   * Puts the original values back.
   *
   * @throws KnobException naming each knob that could not be put back, and the journal that
   *     keeps its original for the owner's next start
   */
  @Override
  public synchronized void close() throws KnobException {
    if (!pending.isEmpty()) {
      Map<KnobWrite, String> failed = restorer.restore(pending);
      if (!failed.isEmpty()) {
        pending = List.copyOf(failed.keySet());
        throw new KnobException("could not put back " + family.knobs() + ": "
            + KnobRestorer.describe(failed) + "; the journal " + journal.file()
            + " keeps the originals and the " + family.owner() + " puts them back when it "
            + "next starts");
      }
      pending = List.of();
    }
    if (!journalDeleted) {
      try {
        journal.delete();
        journalDeleted = true;
      } catch (IOException e) {
        throw new KnobException(family.knobs() + " put back, but their journal "
            + journal.file() + " could not be deleted (" + e.getMessage() + "): delete it by "
            + "hand, or the " + family.owner() + " refuses the next run that sets "
            + family.knobs(), e);
      }
    }
  }
}

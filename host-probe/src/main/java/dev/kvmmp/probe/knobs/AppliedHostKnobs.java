package dev.kvmmp.probe.knobs;

import dev.kvmmp.knobs.KnobException;
import dev.kvmmp.knobs.KnobJournal;
import dev.kvmmp.knobs.KnobRestorer;
import dev.kvmmp.knobs.KnobWrite;
import dev.kvmmp.proto.v1.KnobValue;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Host knobs a run has set. {@link #close()} puts every original back and deletes the journal;
 * closing again does nothing, or retries what failed before.
 */
public final class AppliedHostKnobs implements AutoCloseable {

  private final List<KnobValue> values;
  private final KnobRestorer restorer;
  private final KnobJournal journal;
  private List<KnobWrite> pending;
  private boolean journalDeleted;

  AppliedHostKnobs(List<KnobValue> values, List<KnobWrite> originals, KnobRestorer restorer,
      KnobJournal journal) {
    this.values = List.copyOf(values);
    this.pending = List.copyOf(originals);
    this.restorer = restorer;
    this.journal = journal;
    this.journalDeleted = journal == null;
  }

  /** Knobs left as they were: nothing to report, nothing to restore. */
  static AppliedHostKnobs none() {
    return new AppliedHostKnobs(List.of(), List.of(), null, null);
  }

  /** The knobs as read back after setting them, named as in the allowlist. */
  public List<KnobValue> values() {
    return values;
  }

  /**
   * Puts the original values back.
   *
   * @throws KnobException naming each knob that could not be put back, and the journal that
   *     keeps its original for the probe's next start
   */
  @Override
  public synchronized void close() throws KnobException {
    if (!pending.isEmpty()) {
      Map<KnobWrite, String> failed = restorer.restore(pending);
      if (!failed.isEmpty()) {
        pending = List.copyOf(failed.keySet());
        throw new KnobException("could not put back host knobs: "
            + KnobRestorer.describe(failed) + "; the journal " + journal.file()
            + " keeps the originals and the probe puts them back when it next starts");
      }
      pending = List.of();
    }
    if (!journalDeleted) {
      try {
        journal.delete();
        journalDeleted = true;
      } catch (IOException e) {
        throw new KnobException("host knobs put back, but their journal " + journal.file()
            + " could not be deleted (" + e.getMessage() + "): delete it by hand, or the "
            + "probe refuses the next run that sets host knobs", e);
      }
    }
  }
}

package dev.kvmmp.knobs;

import dev.kvmmp.proto.v1.KnobValue;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sets planned knob writes so that they can always be put back: the originals go to the journal
 * before the first write, a failed write undoes the ones before it, and every knob is read back.
 * Guest and host knobs differ only in what they plan; this is the part they share.
 */
public final class KnobSetter {

  /** The value read back for a knob whose files (one per vCPU, say) disagree. */
  public static final String MIXED = "mixed";

  private final Path root;
  private final KnobFiles files;
  private final KnobFamily family;
  private final KnobJournal journal;
  private final KnobRestorer restorer;
  private final BootId bootId;

  public KnobSetter(Path root, KnobFiles files, KnobFamily family, KnobJournal journal,
      KnobRestorer restorer, BootId bootId) {
    this.root = root;
    this.files = files;
    this.family = family;
    this.journal = journal;
    this.restorer = restorer;
    this.bootId = bootId;
  }

  /**
   * Writes {@code writes} in order; an empty list changes nothing and writes no journal.
   *
   * @return the knobs as read back; closing it puts the originals back
   * @throws KnobException when an original cannot be read or the journal cannot be written
   *     (nothing has changed), or a write fails midway (the ones before it have been put back,
   *     or the message says which could not be)
   */
  public synchronized AppliedKnobs apply(List<KnobWrite> writes) throws KnobException {
    if (writes.isEmpty()) {
      return AppliedKnobs.none();
    }
    if (journal.exists()) {
      throw new KnobException(family.knobs() + ": the journal " + journal.file() + " of an "
          + "earlier run's original values is still there, so they were never put back (the "
          + family.owner() + "'s log from its start says why); set the values in it by hand and "
          + "delete it; nothing was changed");
    }
    List<KnobWrite> originals = readOriginals(writes);
    try {
      journal.write(bootId.current(), reversed(originals));
    } catch (IOException e) {
      throw new KnobException(family.knobs() + ": cannot write the journal of original values "
          + journal.file() + " (" + e.getMessage() + "); nothing was changed: give the "
          + family.owner() + " a writable --state-dir", e);
    }
    for (int i = 0; i < writes.size(); i++) {
      KnobWrite write = writes.get(i);
      try {
        files.write(write.in(root), write.value());
      } catch (IOException e) {
        throw undoAfterFailedWrite(write, e, reversed(originals.subList(0, i)));
      }
    }
    return new AppliedKnobs(family, readBack(writes), reversed(originals), restorer, journal);
  }


  private List<KnobWrite> readOriginals(List<KnobWrite> writes) throws KnobException {
    List<KnobWrite> originals = new ArrayList<>();
    for (KnobWrite write : writes) {
      try {
        originals.add(write.withValue(files.read(write.in(root))));
      } catch (IOException e) {
        throw new KnobException(write.knob() + ": cannot set '" + write.value() + "': reading "
            + "its current value from " + write.shownFile() + " failed (" + e.getMessage()
            + "); nothing was changed", e);
      }
    }
    return originals;
  }

  private KnobException undoAfterFailedWrite(KnobWrite write, IOException cause,
      List<KnobWrite> written) {
    String what = write.knob() + ": writing '" + write.value() + "' to " + write.shownFile()
        + " failed: " + cause.getMessage();
    Map<KnobWrite, String> failed = restorer.restore(written);
    if (!failed.isEmpty()) {
      return new KnobException(what + "; putting back the knobs set before it failed too: "
          + KnobRestorer.describe(failed) + "; the journal " + journal.file() + " keeps the "
          + "originals and the " + family.owner() + " puts them back when it next starts",
          cause);
    }
    String undone = written.isEmpty() ? "nothing was changed"
        : "the " + written.size() + " value(s) set before it were put back";
    try {
      journal.delete();
    } catch (IOException e) {
      return new KnobException(what + "; " + undone + ", but the journal " + journal.file()
          + " could not be deleted (" + e.getMessage() + "): delete it by hand", cause);
    }
    return new KnobException(what + "; " + undone, cause);
  }

  // One value per knob: an idle state's vCPUs agree, or the value is "mixed".
  private List<KnobValue> readBack(List<KnobWrite> writes) {
    Map<String, String> values = new LinkedHashMap<>();
    for (KnobWrite write : writes) {
      String value;
      try {
        value = files.read(write.in(root));
      } catch (IOException e) {
        value = "unreadable: " + e.getMessage();
      }
      values.merge(write.knob(), value, (a, b) -> a.equals(b) ? a : MIXED);
    }
    return values.entrySet().stream()
        .map(entry -> KnobValue.newBuilder().setName(entry.getKey()).setValue(entry.getValue())
            .setWritable(true).build())
        .toList();
  }

  private static List<KnobWrite> reversed(List<KnobWrite> writes) {
    List<KnobWrite> copy = new ArrayList<>(writes);
    Collections.reverse(copy);
    return List.copyOf(copy);
  }
}

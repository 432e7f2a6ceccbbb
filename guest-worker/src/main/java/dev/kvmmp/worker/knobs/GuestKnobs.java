package dev.kvmmp.worker.knobs;

import dev.kvmmp.knobs.BootId;
import dev.kvmmp.knobs.JournalRecovery;
import dev.kvmmp.knobs.KnobException;
import dev.kvmmp.knobs.KnobFamily;
import dev.kvmmp.knobs.KnobFiles;
import dev.kvmmp.knobs.KnobJournal;
import dev.kvmmp.knobs.KnobRestorer;
import dev.kvmmp.knobs.KnobWrite;
import dev.kvmmp.knobs.RecoveryOutcome;
import dev.kvmmp.proto.v1.GuestProfile;
import dev.kvmmp.proto.v1.KnobValue;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sets a run's guest knobs ({@link GuestProfile}) for its duration and puts them back: haltpoll
 * parameters, the cpuidle governor, and idle states disabled on the run's vCPUs. The originals
 * go to a journal before the first knob changes, so that {@link #recover()} at the next start
 * puts them back when the worker was killed mid-run. Knobs are named as in {@link KnobNames}.
 *
 * <p>Every path is resolved below a root: {@code /} in production, a directory laid out like
 * sysfs in tests. One instance serves one worker; runs apply knobs one at a time.
 */
public final class GuestKnobs {

  /** Where the worker keeps state that must outlive it, unless told otherwise. */
  public static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/kvmmp");

  /** Guest knobs, set by the worker: haltpoll parameters, the governor, idle states. */
  static final KnobFamily FAMILY = new KnobFamily("guest knob", "worker",
      SysfsLayout::isKnobFile);

  private final Path root;
  private final KnobFiles files;
  private final KnobJournal journal;
  private final KnobRestorer restorer;
  private final BootId bootId;

  /** Knobs below {@code root}, journal at {@code journal} (see {@link #journalIn(Path)}). */
  public GuestKnobs(Path root, Path journal) {
    this(root, journal, KnobFiles.sysfs());
  }

  public GuestKnobs(Path root, Path journal, KnobFiles files) {
    this.root = root;
    this.files = files;
    this.journal = new KnobJournal(journal, FAMILY);
    this.restorer = new KnobRestorer(root, files);
    this.bootId = new BootId(root, files);
  }

  /** The journal's place in a worker's state directory. */
  public static Path journalIn(Path stateDir) {
    return stateDir.resolve("guest-knobs.journal");
  }

  /** Every knob this guest has, with its current value and whether the worker may write it. */
  public List<KnobValue> available() {
    return new KnobInventory(root, files).available();
  }

  /**
   * Sets {@code profile}'s knobs, idle states on {@code cpus} only (the run's vCPUs; all online
   * vCPUs for an unpinned run). An empty profile changes nothing and writes no journal.
   *
   * @return the knobs as read back; closing it puts the originals back
   * @throws KnobException when the guest refuses the profile (a knob it lacks, a value out of
   *     range, no permission: then nothing has changed), or a write fails midway (then the knobs
   *     already written have been put back, or the message says which could not be)
   */
  public synchronized AppliedKnobs apply(GuestProfile profile, List<Integer> cpus)
      throws KnobException {
    List<KnobWrite> writes = new ProfilePlanner(root, files).plan(profile, cpus);
    if (writes.isEmpty()) {
      return AppliedKnobs.none();
    }
    if (journal.exists()) {
      throw new KnobException("guest knobs: the journal " + journal.file() + " of an earlier "
          + "run's original values is still there, so they were never put back (the worker's "
          + "log from its start says why); set the values in it by hand and delete it; nothing "
          + "was changed");
    }
    List<KnobWrite> originals = readOriginals(writes);
    try {
      journal.write(bootId.current(), reversed(originals));
    } catch (IOException e) {
      throw new KnobException("guest knobs: cannot write the journal of original values "
          + journal.file() + " (" + e.getMessage() + "); nothing was changed: give the worker "
          + "a writable --state-dir", e);
    }
    for (int i = 0; i < writes.size(); i++) {
      KnobWrite write = writes.get(i);
      try {
        files.write(write.in(root), write.value());
      } catch (IOException e) {
        throw undoAfterFailedWrite(write, e, reversed(originals.subList(0, i)));
      }
    }
    return new AppliedKnobs(readBack(writes), reversed(originals), restorer, journal);
  }

  /**
   * Puts back the knobs in the journal a killed worker left, at worker start. Logs what it did
   * and never throws; a corrupt journal stays in place for a human.
   */
  public RecoveryOutcome recover() {
    return new JournalRecovery(journal, restorer, bootId).run();
  }

  /** {@link #recover()} for the real files below {@code root}. */
  public static RecoveryOutcome recover(Path journal, Path root) {
    return new GuestKnobs(root, journal).recover();
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
          + "originals and the worker puts them back when it next starts", cause);
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
      values.merge(write.knob(), value, (a, b) -> a.equals(b) ? a : KnobNames.MIXED);
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

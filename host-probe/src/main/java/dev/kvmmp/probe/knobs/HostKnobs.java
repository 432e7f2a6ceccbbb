package dev.kvmmp.probe.knobs;

import dev.kvmmp.knobs.BootId;
import dev.kvmmp.knobs.JournalRecovery;
import dev.kvmmp.knobs.KnobException;
import dev.kvmmp.knobs.KnobFamily;
import dev.kvmmp.knobs.KnobFiles;
import dev.kvmmp.knobs.KnobJournal;
import dev.kvmmp.knobs.KnobRestorer;
import dev.kvmmp.knobs.KnobWrite;
import dev.kvmmp.knobs.RecoveryOutcome;
import dev.kvmmp.proto.v1.KnobValue;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Sets a run's host knobs ({@link dev.kvmmp.proto.v1.HostKnobs}: the kvm module's halt-polling
 * parameters) for its duration and puts them back. Only knobs on the operator's allowlist are
 * touched. The originals go to a journal before the first knob changes, so that
 * {@link #recover()} at the next probe start puts them back when the probe was killed mid-run.
 *
 * <p>Every path is resolved below a root: {@code /} in production, a directory laid out like
 * sysfs in tests. One instance serves one probe; runs apply knobs one at a time.
 */
public final class HostKnobs {

  // The journal may name these files only: the probe runs as root.
  private static final Pattern KNOB_FILE =
      Pattern.compile(Pattern.quote(KvmParam.PARAMETERS) + "halt_poll_ns[a-z_]*");

  static final KnobFamily FAMILY = new KnobFamily("host knob", "probe",
      file -> KNOB_FILE.matcher(file).matches());

  private final Path root;
  private final KnobFiles files;
  private final Set<String> allowlist;
  private final KnobJournal journal;
  private final KnobRestorer restorer;
  private final BootId bootId;

  /**
   * Knobs below {@code root}, journal at {@code journal}; {@code allowlist} names the knobs this
   * probe may set, e.g. {@code halt_poll_ns}.
   */
  public HostKnobs(Path root, Path journal, Set<String> allowlist) {
    this(root, journal, allowlist, KnobFiles.sysfs());
  }

  public HostKnobs(Path root, Path journal, Set<String> allowlist, KnobFiles files) {
    for (String knob : allowlist) {
      if (KvmParam.named(knob).isEmpty()) {
        throw new IllegalArgumentException("host knob allowlist: '" + knob + "' is no host knob "
            + "(known: halt_poll_ns, halt_poll_ns_grow, halt_poll_ns_grow_start, "
            + "halt_poll_ns_shrink)");
      }
    }
    this.root = root;
    this.files = files;
    this.allowlist = Set.copyOf(allowlist);
    this.journal = new KnobJournal(journal, FAMILY);
    this.restorer = new KnobRestorer(root, files);
    this.bootId = new BootId(root, files);
  }

  /** The journal's place in a probe's state directory. */
  public static Path journalIn(Path stateDir) {
    return stateDir.resolve("host-knobs.journal");
  }

  /**
   * Sets each field of {@code knobs} that is set. An empty message changes nothing and writes no
   * journal.
   *
   * @return the knobs as read back; closing it puts the originals back
   * @throws KnobException when a knob is refused (not allowed, read-only, out of range: then
   *     nothing has changed, and the message lists every refusal), or a write fails midway (then
   *     the knobs already written have been put back, or the message says which could not be)
   */
  public synchronized AppliedHostKnobs apply(dev.kvmmp.proto.v1.HostKnobs knobs)
      throws KnobException {
    List<KnobWrite> writes = new HostKnobPlanner(root, files, allowlist).plan(knobs);
    if (writes.isEmpty()) {
      return AppliedHostKnobs.none();
    }
    if (journal.exists()) {
      throw new KnobException("host knobs: the journal " + journal.file() + " of an earlier "
          + "run's original values is still there, so they were never put back (the probe's "
          + "log from its start says why); set the values in it by hand and delete it; nothing "
          + "was changed");
    }
    List<KnobWrite> originals = readOriginals(writes);
    try {
      journal.write(bootId.current(), reversed(originals));
    } catch (IOException e) {
      throw new KnobException("host knobs: cannot write the journal of original values "
          + journal.file() + " (" + e.getMessage() + "); nothing was changed: give the probe "
          + "a writable state directory", e);
    }
    for (int i = 0; i < writes.size(); i++) {
      KnobWrite write = writes.get(i);
      try {
        files.write(write.in(root), write.value());
      } catch (IOException e) {
        throw undoAfterFailedWrite(write, e, reversed(originals.subList(0, i)));
      }
    }
    return new AppliedHostKnobs(readBack(writes), reversed(originals), restorer, journal);
  }

  /**
   * Puts back the knobs in the journal a killed probe left, at probe start. Logs what it did
   * and never throws; a corrupt journal stays in place for a human.
   */
  public RecoveryOutcome recover() {
    return new JournalRecovery(journal, restorer, bootId).run();
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
          + "originals and the probe puts them back when it next starts", cause);
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

  private List<KnobValue> readBack(List<KnobWrite> writes) {
    List<KnobValue> values = new ArrayList<>();
    for (KnobWrite write : writes) {
      String value;
      try {
        value = files.read(write.in(root));
      } catch (IOException e) {
        value = "unreadable: " + e.getMessage();
      }
      values.add(KnobValue.newBuilder().setName(write.knob()).setValue(value).setWritable(true)
          .build());
    }
    return values;
  }

  private static List<KnobWrite> reversed(List<KnobWrite> writes) {
    List<KnobWrite> copy = new ArrayList<>(writes);
    Collections.reverse(copy);
    return List.copyOf(copy);
  }
}

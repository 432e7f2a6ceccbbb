package dev.kvmmp.worker.knobs;

import dev.kvmmp.knobs.AppliedKnobs;
import dev.kvmmp.knobs.BootId;
import dev.kvmmp.knobs.JournalRecovery;
import dev.kvmmp.knobs.KnobException;
import dev.kvmmp.knobs.KnobFamily;
import dev.kvmmp.knobs.KnobFiles;
import dev.kvmmp.knobs.KnobJournal;
import dev.kvmmp.knobs.KnobRestorer;
import dev.kvmmp.knobs.KnobSetter;
import dev.kvmmp.knobs.KnobWrite;
import dev.kvmmp.knobs.RecoveryOutcome;
import dev.kvmmp.proto.v1.GuestProfile;
import dev.kvmmp.proto.v1.KnobValue;
import java.nio.file.Path;
import java.util.List;

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
  private final KnobSetter setter;

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
    this.setter = new KnobSetter(root, files, FAMILY, this.journal, restorer, bootId);
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
    return setter.apply(writes);
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
}

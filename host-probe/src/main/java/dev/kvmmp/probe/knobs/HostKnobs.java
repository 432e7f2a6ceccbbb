package dev.kvmmp.probe.knobs;

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
  private final KnobSetter setter;

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
    this.setter = new KnobSetter(root, files, FAMILY, this.journal, restorer, bootId);
  }

  /** The journal's place in a probe's state directory. */
  /** The knobs this probe may set, sorted: what it tells the coordinator at registration. */
  public List<String> allowed() {
    return allowlist.stream().sorted().toList();
  }

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
  public synchronized AppliedKnobs apply(dev.kvmmp.proto.v1.HostKnobs knobs)
      throws KnobException {
    List<KnobWrite> writes = new HostKnobPlanner(root, files, allowlist).plan(knobs);
    return setter.apply(writes);
  }

  /**
   * The host knobs' values now, named as in the allowlist; writable when this probe may set the
   * knob (on the allowlist, and its file writable). A knob this host lacks is left out.
   */
  public List<KnobValue> current() {
    List<KnobValue> values = new ArrayList<>();
    for (KvmParam param : KvmParam.values()) {
      Path file = root.resolve(param.file());
      try {
        values.add(KnobValue.newBuilder()
            .setName(param.knob())
            .setValue(files.read(file))
            .setWritable(allowlist.contains(param.knob())
                && files.access(file) == KnobFiles.Access.WRITABLE)
            .build());
      } catch (IOException e) {
        // Not on this host (no kvm module) or unreadable: missing, rather than a made-up value.
      }
    }
    return values;
  }

  /**
   * Puts back the knobs in the journal a killed probe left, at probe start. Logs what it did
   * and never throws; a corrupt journal stays in place for a human.
   */
  public RecoveryOutcome recover() {
    return new JournalRecovery(journal, restorer, bootId).run();
  }
}

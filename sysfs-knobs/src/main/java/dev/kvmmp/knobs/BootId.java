package dev.kvmmp.knobs;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The kernel's boot id. Knobs live in sysfs and do not survive a reboot, so a journal written
 * in another boot has nothing left to restore.
 */
public final class BootId {

  static final String FILE = "proc/sys/kernel/random/boot_id";

  private final Path root;
  private final KnobFiles files;

  public BootId(Path root, KnobFiles files) {
    this.root = root;
    this.files = files;
  }

  /** The current boot id, or empty when it cannot be read (then a journal is trusted). */
  public String current() {
    try {
      return files.read(root.resolve(FILE));
    } catch (IOException e) {
      return "";
    }
  }
}

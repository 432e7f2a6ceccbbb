package dev.kvmmp.worker.knobs;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The kernel's boot id. Knobs live in sysfs and do not survive a reboot, so a journal written
 * in another boot has nothing left to restore.
 */
final class BootId {

  private final Path root;
  private final KnobFiles files;

  BootId(Path root, KnobFiles files) {
    this.root = root;
    this.files = files;
  }

  /** The current boot id, or empty when it cannot be read (then a journal is trusted). */
  String current() {
    try {
      return files.read(root.resolve(SysfsLayout.BOOT_ID));
    } catch (IOException e) {
      return "";
    }
  }
}

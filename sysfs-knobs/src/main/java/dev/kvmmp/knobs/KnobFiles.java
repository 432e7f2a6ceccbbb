package dev.kvmmp.knobs;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The sysfs files that are knobs, as kvmmp reads and writes them. Production uses
 * {@link #sysfs()}; tests wrap it to make a write fail or to stand in for a permission the test
 * cannot take away from root.
 */
public interface KnobFiles {

  /** Whether this process can write a knob's file. */
  enum Access {
    WRITABLE,
    /** No such file: the machine lacks the knob. */
    MISSING,
    /** No write bit in its mode: sysfs refuses writes even to root (e.g. a 0444 attribute). */
    READ_ONLY,
    /** The mode allows writing but not to this process: it is not root. */
    NO_PERMISSION
  }

  /**
   * The file's content, trimmed.
   *
   * @throws java.io.IOException whose message is the OS's reason, e.g. "Permission denied"
   */
  String read(Path file) throws IOException;

  /**
   * Writes {@code value} as {@code echo value > file} does.
   *
   * @throws java.io.IOException whose message is the OS's reason, e.g. "Invalid argument"
   */
  void write(Path file, String value) throws IOException;

  Access access(Path file);

  /** The real files, through plain reads and writes. */
  static KnobFiles sysfs() {
    return SysfsKnobFiles.INSTANCE;
  }
}

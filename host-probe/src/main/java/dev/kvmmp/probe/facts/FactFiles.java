package dev.kvmmp.probe.facts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Optional;

/**
 * Reads the small text files of procfs, sysfs and /etc. A file that cannot be read (missing, no
 * permission, a sysfs attribute that returns an error) is absent, never an exception: one
 * unreadable file must not cost the probe all its other facts.
 */
final class FactFiles {

  private FactFiles() {
  }

  /** The trimmed content, or empty when the file is missing, unreadable or blank. */
  static Optional<String> readTrimmed(Path file) {
    return read(file).map(String::trim).filter(s -> !s.isEmpty());
  }

  /** The lines of the file, or an empty list when it cannot be read. */
  static List<String> readLines(Path file) {
    return read(file).map(s -> s.lines().toList()).orElse(List.of());
  }

  /**
   * Whether the owner may write the file. For sysfs module parameters this is the mode the
   * module declared (0644 vs 0444), i.e. whether root can change the knob at run time.
   */
  static boolean isOwnerWritable(Path file) {
    try {
      return Files.getPosixFilePermissions(file).contains(PosixFilePermission.OWNER_WRITE);
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return false;
    }
  }

  static Optional<byte[]> readBytes(Path file) {
    try {
      // readAllBytes rather than size-based reads: procfs files report size 0.
      return Optional.of(Files.readAllBytes(file));
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
  }

  /** The whole content, possibly blank, or empty when the file cannot be read. */
  static Optional<String> read(Path file) {
    // Decoding from bytes replaces malformed input instead of throwing.
    return readBytes(file).map(bytes -> new String(bytes, StandardCharsets.UTF_8));
  }
}

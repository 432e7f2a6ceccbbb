package dev.kvmmp.worker.facts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Reads the small text files of procfs, sysfs and /etc. A fact that cannot be read (missing file,
 * no permission, a sysfs attribute that returns an error) is absent, never an exception: one
 * unreadable file must not cost the worker all its other facts.
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

  private static Optional<String> read(Path file) {
    try {
      // readAllBytes rather than size-based reads: procfs files report size 0. Decoding
      // from bytes replaces malformed input instead of throwing.
      return Optional.of(new String(Files.readAllBytes(file), StandardCharsets.UTF_8));
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
  }
}

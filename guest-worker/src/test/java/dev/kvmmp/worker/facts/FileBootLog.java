package dev.kvmmp.worker.facts;

import java.nio.file.Path;
import java.util.List;

/** A boot log captured into a file; a missing file is an unreadable log. */
final class FileBootLog implements BootLog {

  private final Path file;

  FileBootLog(Path file) {
    this.file = file;
  }

  @Override
  public List<String> lines() {
    return FactFiles.readLines(file);
  }
}

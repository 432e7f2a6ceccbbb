package dev.kvmmp.cli.bench;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Finds native tools on a search path, and says which Debian package brings a missing one. */
public final class Executables {

  private final List<Path> directories;

  /** Searches the directories of a PATH-style list ("/usr/bin:/bin"). */
  public Executables(String searchPath) {
    this.directories = Arrays.stream(searchPath.split(File.pathSeparator))
        .filter(d -> !d.isEmpty())
        .map(Path::of)
        .toList();
  }

  /** Searches this process's PATH. */
  public static Executables fromEnvironment() {
    String path = System.getenv("PATH");
    return new Executables(path == null ? "" : path);
  }

  public Optional<Path> find(String binary) {
    return directories.stream()
        .map(d -> d.resolve(binary))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /**
   * Empty when every binary is found; else names the first missing one and its package. Takes
   * alternating binary and package names: {@code missing("sockperf", "sockperf", ...)}.
   */
  public Optional<String> missing(String... binariesAndPackages) {
    if (binariesAndPackages.length % 2 != 0) {
      throw new IllegalArgumentException("binariesAndPackages: pairs of binary and package names,"
          + " got an odd count " + binariesAndPackages.length);
    }
    for (int i = 0; i < binariesAndPackages.length; i += 2) {
      String binary = binariesAndPackages[i];
      String debianPackage = binariesAndPackages[i + 1];
      if (find(binary).isEmpty()) {
        return Optional.of(binary + " not found on PATH; install the Debian package "
            + debianPackage + " (apt-get install " + debianPackage + ")");
      }
    }
    return Optional.empty();
  }
}

package dev.kvmmp.worker.workload.memcache;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/** Finds the programs the workload starts: on PATH first, then where Debian puts them. */
final class Executables {

  private Executables() {}

  static Optional<Path> find(String name, Path fallback) {
    String path = System.getenv().getOrDefault("PATH", "");
    return Stream.concat(
            Stream.of(path.split(File.pathSeparator))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, name)),
            Stream.of(fallback))
        .filter(Executables::isExecutableFile)
        .findFirst();
  }

  static boolean isExecutableFile(Path file) {
    return Files.isRegularFile(file) && Files.isExecutable(file);
  }
}

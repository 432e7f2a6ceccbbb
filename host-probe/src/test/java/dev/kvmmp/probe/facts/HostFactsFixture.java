package dev.kvmmp.probe.facts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

/**
 * Copies a captured root file tree from {@code src/test/resources/hostfacts/} to a temporary
 * directory and gives its module parameter files the mode they have on the real machine: a
 * checkout keeps only the executable bit, and the mode is a fact under test.
 */
final class HostFactsFixture {

  private HostFactsFixture() {
  }

  /**
   * @param name      the fixture directory, e.g. {@code classic-intel-host}
   * @param target    an empty directory to copy into
   * @param paramMode the mode of every file under {@code sys/module}, e.g. "rw-r--r--"
   */
  static Path copy(String name, Path target, String paramMode) throws IOException {
    Path source = resource("hostfacts/" + name);
    try (Stream<Path> files = Files.walk(source)) {
      for (Path file : files.toList()) {
        Path copy = target.resolve(source.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(copy);
        } else {
          Files.copy(file, copy);
        }
      }
    }
    Path modules = target.resolve("sys/module");
    if (Files.isDirectory(modules)) {
      try (Stream<Path> files = Files.walk(modules)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(paramMode));
        }
      }
    }
    return target;
  }

  private static Path resource(String name) {
    URL url = HostFactsFixture.class.getClassLoader().getResource(name);
    if (url == null) {
      throw new UncheckedIOException(new IOException("test resource not found: " + name));
    }
    try {
      return Path.of(url.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("bad resource URL " + url, e);
    }
  }
}

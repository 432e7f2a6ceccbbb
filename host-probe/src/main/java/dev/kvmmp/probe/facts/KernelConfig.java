package dev.kvmmp.probe.facts;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * The build configuration of the running kernel: {@code boot/config-<release>} as distributions
 * install it, else {@code proc/config.gz} (CONFIG_IKCONFIG_PROC, common on kernels without /boot).
 */
final class KernelConfig {

  private final Set<String> builtIn;

  private KernelConfig(Set<String> builtIn) {
    this.builtIn = builtIn;
  }

  /** The config of kernel {@code release} under {@code root}, or empty when none is readable. */
  static Optional<KernelConfig> find(Path root, String release) {
    Optional<KernelConfig> boot = release.isEmpty()
        ? Optional.empty() : read(root.resolve("boot/config-" + release));
    return boot.isPresent() ? boot : read(root.resolve("proc/config.gz"));
  }

  /** Whether {@code option} (e.g. {@code CONFIG_NO_HZ_IDLE}) is built in ({@code =y}). */
  boolean isEnabled(String option) {
    return builtIn.contains(option);
  }

  private static Optional<KernelConfig> read(Path file) {
    return FactFiles.readBytes(file).flatMap(bytes -> {
      try {
        return Optional.of(parse(isGzip(bytes) ? gunzip(bytes) : bytes));
      } catch (IOException e) {
        return Optional.empty();
      }
    });
  }

  private static KernelConfig parse(byte[] bytes) {
    // "# CONFIG_X is not set" lines fall out here: an absent option is not set either.
    return new KernelConfig(new String(bytes, StandardCharsets.UTF_8).lines()
        .filter(line -> line.startsWith("CONFIG_") && line.endsWith("=y"))
        .map(line -> line.substring(0, line.length() - 2))
        .collect(Collectors.toUnmodifiableSet()));
  }

  private static boolean isGzip(byte[] bytes) {
    return bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b;
  }

  private static byte[] gunzip(byte[] bytes) throws IOException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
      return in.readAllBytes();
    }
  }
}

package dev.kvmmp.worker.facts;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * The build configuration of the running kernel: {@code boot/config-<release>} as distributions
 * install it, else {@code proc/config.gz} (CONFIG_IKCONFIG_PROC, common in VM kernels such as
 * Firecracker's that have no /boot).
 */
final class KernelConfig {

  private final Map<String, String> values;

  private KernelConfig(Map<String, String> values) {
    this.values = values;
  }

  /** The config of kernel {@code release} under {@code root}, or empty when none is readable. */
  static Optional<KernelConfig> find(Path root, String release) {
    if (!release.isEmpty()) {
      Optional<KernelConfig> boot = read(root.resolve("boot/config-" + release));
      if (boot.isPresent()) {
        return boot;
      }
    }
    return read(root.resolve("proc/config.gz"));
  }

  /** Reads a plain or gzip-compressed config file; empty when it cannot be read. */
  static Optional<KernelConfig> read(Path file) {
    try {
      byte[] bytes = Files.readAllBytes(file);
      return Optional.of(parse(isGzip(bytes) ? gunzip(bytes) : bytes));
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
  }

  /** Whether {@code option} (e.g. {@code CONFIG_NO_HZ_IDLE}) is built in ({@code =y}). */
  boolean isEnabled(String option) {
    return "y".equals(values.get(option));
  }

  private static KernelConfig parse(byte[] bytes) {
    Map<String, String> values = new HashMap<>();
    // "# CONFIG_X is not set" lines are skipped: an absent option is not set either.
    new String(bytes, StandardCharsets.UTF_8).lines()
        .filter(line -> line.startsWith("CONFIG_"))
        .forEach(line -> {
          int eq = line.indexOf('=');
          if (eq > 0) {
            values.put(line.substring(0, eq), line.substring(eq + 1).trim());
          }
        });
    return new KernelConfig(Map.copyOf(values));
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

package dev.kvmmp.probe.facts;

import dev.kvmmp.perf.Tracefs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The {@code kvm:*} tracepoints the kernel offers, from the {@code events/kvm/} directory of
 * tracefs. On the real machine an unmounted tracefs is mounted for the listing and unmounted
 * again, as for counting ({@link Tracefs}).
 */
final class KvmTracepoints {

  /** Where tracefs is mounted: its own mount point (4.1+), else inside debugfs. */
  private static final List<String> MOUNTS = List.of("sys/kernel/tracing",
      "sys/kernel/debug/tracing");

  private KvmTracepoints() {
  }

  /** Event names such as {@code kvm_exit}, sorted; empty when there is no tracefs to read. */
  static List<String> read(Path root) {
    List<String> found = list(root);
    if (!found.isEmpty() || !root.equals(Path.of("/"))) {
      return found;
    }
    try (Tracefs tracefs = Tracefs.find().orElse(null)) {
      return tracefs == null ? List.of() : list(root);
    }
  }

  private static List<String> list(Path root) {
    for (String mount : MOUNTS) {
      Path events = root.resolve(mount).resolve("events/kvm");
      if (Files.isDirectory(events)) {
        // Each event is a directory; the files beside them (enable, filter) are not events.
        try (Stream<Path> entries = Files.list(events)) {
          return entries.filter(Files::isDirectory)
              .map(p -> p.getFileName().toString())
              .sorted()
              .toList();
        } catch (IOException | SecurityException e) {
          return List.of();
        }
      }
    }
    return List.of();
  }
}

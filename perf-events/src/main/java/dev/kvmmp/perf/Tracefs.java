package dev.kvmmp.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where tracepoint ids are: tracefs, at /sys/kernel/tracing or under debugfs. Mounted when
 * absent (root), as {@code perf} itself does, and unmounted again by {@link #close} once the ids
 * are read: counters already open do not need the mount, and a process killed later (a worker
 * killed mid-run) leaves nothing mounted. Ids are cached: they do not change while the machine
 * runs.
 */
public final class Tracefs implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Tracefs.class);
  private static final List<Path> PLACES = List.of(Path.of("/sys/kernel/tracing"),
      Path.of("/sys/kernel/debug/tracing"));

  private static final Map<String, Integer> ids = new ConcurrentHashMap<>();

  private final Path root;
  /** Whether this instance mounted tracefs, and so unmounts it when closed. */
  private final boolean mountedHere;

  private Tracefs(Path root, boolean mountedHere) {
    this.root = root;
    this.mountedHere = mountedHere;
  }

  /**
   * The tracefs of this machine, mounting it if needed; empty when it cannot be had. Close it
   * once the ids are read.
   */
  public static Optional<Tracefs> find() {
    Optional<Tracefs> mounted = mounted();
    if (mounted.isPresent()) {
      return mounted;
    }
    try {
      Process mount = new ProcessBuilder("mount", "-t", "tracefs", "none", "/sys/kernel/tracing")
          .redirectErrorStream(true).start();
      if (mount.waitFor(5, TimeUnit.SECONDS) && mount.exitValue() == 0) {
        log.debug("mounted tracefs at /sys/kernel/tracing to read tracepoint ids");
        return Optional.of(new Tracefs(PLACES.get(0), true));
      }
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
    return mounted();
  }

  /** Unmounts tracefs if this instance mounted it. */
  @Override
  public void close() {
    if (!mountedHere) {
      return;
    }
    try {
      Process umount = new ProcessBuilder("umount", root.toString()).redirectErrorStream(true)
          .start();
      if (!umount.waitFor(5, TimeUnit.SECONDS) || umount.exitValue() != 0) {
        log.warn("umount {} failed: {}", root, new String(umount.getInputStream().readAllBytes(),
            java.nio.charset.StandardCharsets.UTF_8).trim());
      }
    } catch (IOException e) {
      log.warn("umount {} failed: {}", root, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A tracefs laid out under {@code root}, for tests. */
  public static Tracefs at(Path root) {
    return new Tracefs(root, false);
  }

  private static Optional<Tracefs> mounted() {
    return PLACES.stream()
        .filter(p -> Files.isDirectory(p.resolve("events")))
        .findFirst()
        .map(root -> new Tracefs(root, false));
  }

  /** The id of tracepoint {@code system:name}, e.g. msr:write_msr; empty when it does not exist. */
  public OptionalInt eventId(String system, String name) {
    String key = root + " " + system + ":" + name;
    Integer cached = ids.get(key);
    if (cached != null) {
      return OptionalInt.of(cached);
    }
    Path id = root.resolve("events").resolve(system).resolve(name).resolve("id");
    try {
      int value = Integer.parseInt(Files.readString(id).trim());
      ids.put(key, value);
      return OptionalInt.of(value);
    } catch (IOException | NumberFormatException e) {
      if (!mountedHere && PLACES.contains(root) && !Files.isDirectory(root.resolve("events"))) {
        // Another process that had mounted it unmounted it meanwhile: mount it for this read.
        try (Tracefs again = find().orElse(null)) {
          return again == null || !again.mountedHere ? OptionalInt.empty()
              : again.eventId(system, name);
        }
      }
      return OptionalInt.empty();
    }
  }
}

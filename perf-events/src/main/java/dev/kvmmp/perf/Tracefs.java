package dev.kvmmp.perf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where tracepoint ids are: tracefs, at /sys/kernel/tracing or under debugfs. Mounted when
 * absent (root), as {@code perf} itself does, and unmounted when this process exits: the
 * machine is left as it was found. Counters already open do not need the mount.
 */
public final class Tracefs {

  private static final Logger log = LoggerFactory.getLogger(Tracefs.class);
  private static final List<Path> PLACES = List.of(Path.of("/sys/kernel/tracing"),
      Path.of("/sys/kernel/debug/tracing"));

  private static final AtomicBoolean unmountAtExit = new AtomicBoolean();

  private final Path root;

  private Tracefs(Path root) {
    this.root = root;
  }

  /** The tracefs of this machine, mounting it if needed; empty when it cannot be had. */
  public static Optional<Tracefs> find() {
    Optional<Tracefs> mounted = mounted();
    if (mounted.isPresent()) {
      return mounted;
    }
    try {
      Process mount = new ProcessBuilder("mount", "-t", "tracefs", "none", "/sys/kernel/tracing")
          .redirectErrorStream(true).start();
      if (mount.waitFor(5, TimeUnit.SECONDS) && mount.exitValue() == 0) {
        log.info("mounted tracefs at /sys/kernel/tracing to count tracepoints");
        if (unmountAtExit.compareAndSet(false, true)) {
          Runtime.getRuntime().addShutdownHook(new Thread(Tracefs::unmount, "tracefs-unmount"));
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
    return mounted();
  }

  private static void unmount() {
    try {
      new ProcessBuilder("umount", "/sys/kernel/tracing").redirectErrorStream(true).start()
          .waitFor(5, TimeUnit.SECONDS);
    } catch (IOException e) {
      // Exiting anyway; a mount left behind is harmless.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** A tracefs laid out under {@code root}, for tests. */
  public static Tracefs at(Path root) {
    return new Tracefs(root);
  }

  private static Optional<Tracefs> mounted() {
    return PLACES.stream()
        .filter(p -> Files.isDirectory(p.resolve("events")))
        .findFirst()
        .map(Tracefs::new);
  }

  /** The id of tracepoint {@code system:name}, e.g. msr:write_msr; empty when it does not exist. */
  public OptionalInt eventId(String system, String name) {
    Path id = root.resolve("events").resolve(system).resolve(name).resolve("id");
    try {
      return OptionalInt.of(Integer.parseInt(Files.readString(id).trim()));
    } catch (IOException | NumberFormatException e) {
      return OptionalInt.empty();
    }
  }
}

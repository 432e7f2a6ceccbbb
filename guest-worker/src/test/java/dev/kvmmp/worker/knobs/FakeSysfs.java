package dev.kvmmp.worker.knobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A directory laid out like the knob files of this project's Firecracker test guest (kernel
 * 6.18, 2 vCPUs, haltpoll driver and governor), with its boot values: guest_halt_poll_ns 0,
 * governor haltpoll, every idle state enabled.
 */
public final class FakeSysfs {

  public static final String NS = "sys/module/haltpoll/parameters/guest_halt_poll_ns";
  public static final String GOVERNOR = "sys/devices/system/cpu/cpuidle/current_governor";

  private final Path root;

  private FakeSysfs(Path root) {
    this.root = root;
  }

  /** The Firecracker guest's knobs below {@code root}. */
  public static FakeSysfs firecrackerGuest(Path root) {
    FakeSysfs sysfs = new FakeSysfs(root);
    sysfs.set("sys/module/haltpoll/parameters/guest_halt_poll_allow_shrink", "Y");
    sysfs.set("sys/module/haltpoll/parameters/guest_halt_poll_grow", "2");
    sysfs.set("sys/module/haltpoll/parameters/guest_halt_poll_grow_start", "50000");
    sysfs.set(NS, "0");
    sysfs.set("sys/module/haltpoll/parameters/guest_halt_poll_shrink", "2");
    sysfs.set(GOVERNOR, "haltpoll");
    sysfs.set("sys/devices/system/cpu/cpuidle/current_governor_ro", "haltpoll");
    sysfs.set("sys/devices/system/cpu/cpuidle/available_governors", "ladder menu haltpoll ");
    sysfs.set("sys/devices/system/cpu/cpuidle/current_driver", "haltpoll");
    for (int cpu = 0; cpu < 2; cpu++) {
      sysfs.set(state(cpu, 0, "name"), "POLL");
      sysfs.set(state(cpu, 0, "disable"), "0");
      sysfs.set(state(cpu, 1, "name"), "haltpoll idle");
      sysfs.set(state(cpu, 1, "disable"), "0");
    }
    sysfs.set("proc/sys/kernel/random/boot_id", "6f1c2a0e-0000-4000-8000-000000000001");
    return sysfs;
  }

  /** e.g. {@code state(1, 1, "disable")}: cpu1's state1/disable. */
  public static String state(int cpu, int index, String file) {
    return "sys/devices/system/cpu/cpu" + cpu + "/cpuidle/state" + index + "/" + file;
  }

  public Path root() {
    return root;
  }

  public Path path(String relative) {
    return root.resolve(relative);
  }

  public void set(String relative, String content) {
    try {
      Path file = root.resolve(relative);
      Files.createDirectories(file.getParent());
      Files.writeString(file, content + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The file's content, trimmed. */
  public String get(String relative) {
    try {
      return Files.readString(root.resolve(relative)).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void delete(String relative) {
    try {
      try (Stream<Path> walk = Files.walk(root.resolve(relative))) {
        walk.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every file below the root with its content: to show that nothing changed. */
  public Map<String, String> snapshot() {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      walk.filter(Files::isRegularFile).forEach(file -> {
        try {
          files.put(root.relativize(file).toString(), Files.readString(file));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }
}

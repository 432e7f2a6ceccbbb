package dev.kvmmp.worker.deltas;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Steal time per CPU from the {@code cpuN} lines of {@code /proc/stat}: the 8th value, in
 * USER_HZ ticks. USER_HZ is 100 on every Linux architecture kvmmp runs on: the kernel fixes it
 * for user space whatever its internal HZ.
 */
public final class StealTime {

  static final long NANOS_PER_TICK = 1_000_000_000L / 100;

  private final Map<Integer, Long> stealNanos;

  private StealTime(Map<Integer, Long> stealNanos) {
    this.stealNanos = stealNanos;
  }

  public static StealTime read(Path file) throws IOException {
    return parse(Files.readAllLines(file));
  }

  static StealTime parse(List<String> lines) {
    Map<Integer, Long> steal = new HashMap<>();
    for (String line : lines) {
      if (!line.startsWith("cpu") || line.startsWith("cpu ")) {
        continue;
      }
      String[] fields = line.trim().split("\\s+");
      // cpuN user nice system idle iowait irq softirq steal ...
      if (fields.length > 8) {
        steal.put(Integer.parseInt(fields[0].substring(3)),
            Long.parseLong(fields[8]) * NANOS_PER_TICK);
      }
    }
    return new StealTime(steal);
  }

  public long nanos(int cpu) {
    return stealNanos.getOrDefault(cpu, 0L);
  }
}

package dev.kvmmp.worker.deltas;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-CPU counts of the named rows of {@code /proc/interrupts} (LOC, RES, CAL). Columns
 * follow the header, which lists only online CPUs ("CPU0 CPU1 ..."), so a CPU's column is found
 * by its name, not its number.
 */
public final class InterruptCounts {

  private final Map<String, Map<Integer, Long>> rows;

  private InterruptCounts(Map<String, Map<Integer, Long>> rows) {
    this.rows = rows;
  }

  public static InterruptCounts read(Path file) throws IOException {
    return parse(Files.readAllLines(file));
  }

  static InterruptCounts parse(List<String> lines) {
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("/proc/interrupts is empty");
    }
    String[] header = lines.get(0).trim().split("\\s+");
    int[] cpuOfColumn = new int[header.length];
    for (int i = 0; i < header.length; i++) {
      if (!header[i].startsWith("CPU")) {
        throw new IllegalArgumentException("unexpected /proc/interrupts header: " + lines.get(0));
      }
      cpuOfColumn[i] = Integer.parseInt(header[i].substring(3));
    }
    Map<String, Map<Integer, Long>> rows = new HashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      String[] fields = line.trim().split("\\s+");
      String name = fields[0].endsWith(":") ? fields[0].substring(0, fields[0].length() - 1) : "";
      // Only the rows that count per CPU; ERR and MIS hold one total.
      if (name.isEmpty() || fields.length < 1 + cpuOfColumn.length) {
        continue;
      }
      Map<Integer, Long> perCpu = new HashMap<>();
      for (int i = 0; i < cpuOfColumn.length; i++) {
        perCpu.put(cpuOfColumn[i], Long.parseLong(fields[1 + i]));
      }
      rows.put(name, perCpu);
    }
    return new InterruptCounts(rows);
  }

  /** The count of row {@code name} on {@code cpu}; 0 when the row or the CPU is absent. */
  public long count(String name, int cpu) {
    return rows.getOrDefault(name, Map.of()).getOrDefault(cpu, 0L);
  }

  public boolean hasRow(String name) {
    return rows.containsKey(name);
  }
}

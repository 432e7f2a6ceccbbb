package dev.kvmmp.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time a process has used, every thread together (JIT, GC and JVM housekeeping included),
 * from {@code /proc/<pid>/stat}: utime + stime (fields 14 and 15). The kernel reports them in
 * USER_HZ ticks (100 per second on x86 Linux, fixed by its ABI) but derives them from the
 * scheduler's nanosecond runtime, so their sum does not drift over a long window.
 */
final class ProcessCpu {

  /** USER_HZ: x86 Linux reports times to user space in hundredths of a second. */
  static final long NANOS_PER_TICK = 10_000_000L;
  private static final int UTIME_FIELD = 14;

  private ProcessCpu() {}

  /** The CPU time of this process so far. */
  static long selfNanos() throws IOException {
    return nanos(Path.of("/proc/self/stat"));
  }

  /** The CPU time of the process whose {@code stat} file is {@code stat}. */
  static long nanos(Path stat) throws IOException {
    String text = Files.readString(stat);
    // comm (field 2) is in parentheses and may hold spaces or ')': count fields after the last.
    int end = text.lastIndexOf(')');
    if (end < 0) {
      throw new IOException(stat + ": no ')' ending the comm field in '" + text.strip() + "'");
    }
    String[] rest = text.substring(end + 2).strip().split(" ");
    int first = UTIME_FIELD - 3;
    if (rest.length < first + 2) {
      throw new IOException(stat + ": " + (rest.length + 2) + " fields, expected at least "
          + (UTIME_FIELD + 1));
    }
    try {
      return (Long.parseLong(rest[first]) + Long.parseLong(rest[first + 1])) * NANOS_PER_TICK;
    } catch (NumberFormatException e) {
      throw new IOException(stat + ": utime/stime not numbers: '" + rest[first] + "', '"
          + rest[first + 1] + "'", e);
    }
  }
}

package dev.kvmmp.probe.events;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * When a thread started, from {@code /proc/<tid>/stat} (field 22, clock ticks since boot): with
 * the thread id, it tells a live vCPU thread from an exited one whose id was reused. Needed
 * because neither {@code read(2)} nor {@code poll(2)} on a counting perf fd says its task exited:
 * the read returns the frozen last count, and poll reports POLLHUP for any counter without a ring
 * buffer.
 */
final class ThreadStart {

  private static final int START_TIME_FIELD = 22;

  private ThreadStart() {}

  /** The start time of thread {@code tid}; empty when no such thread exists now. */
  static OptionalLong of(Path proc, int tid) {
    String stat;
    try {
      stat = Files.readString(proc.resolve(Integer.toString(tid)).resolve("stat"));
    } catch (IOException e) {
      return OptionalLong.empty();
    }
    // comm (field 2) is in parentheses and may hold spaces or ')': count fields after the last.
    String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return OptionalLong.of(Long.parseLong(rest[START_TIME_FIELD - 3]));
  }
}

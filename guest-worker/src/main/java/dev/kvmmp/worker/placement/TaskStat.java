package dev.kvmmp.worker.placement;

/** Parses the fields kvmmp needs from a /proc/PID/task/TID/stat line. */
public final class TaskStat {

  private TaskStat() {}

  /**
   * Field 39, the CPU the task last ran on. Fields are counted after the command name, which is
   * in parentheses and may itself contain spaces and parentheses: split after the last ')'.
   */
  public static int processor(String stat) {
    int end = stat.lastIndexOf(')');
    if (end < 0) {
      throw new IllegalArgumentException("not a stat line: " + stat);
    }
    // After ") " comes field 3 (state); field 39 is therefore the 37th token.
    String[] fields = stat.substring(end + 2).trim().split(" ");
    if (fields.length < 37) {
      throw new IllegalArgumentException("stat line has " + (fields.length + 2)
          + " fields, field 39 is missing: " + stat);
    }
    return Integer.parseInt(fields[36]);
  }
}

package dev.kvmmp.worker.knobs;

import java.util.regex.Pattern;

/** Where guest knobs live, relative to the root ({@code /} in production). */
final class SysfsLayout {

  static final String HALTPOLL_PARAMETERS = "sys/module/haltpoll/parameters/";
  static final String CPU = "sys/devices/system/cpu/";
  static final String CURRENT_GOVERNOR = CPU + "cpuidle/current_governor";
  static final String CURRENT_GOVERNOR_RO = CPU + "cpuidle/current_governor_ro";
  static final String AVAILABLE_GOVERNORS = CPU + "cpuidle/available_governors";

  // Every file kvmmp may write. A journal naming any other file is corrupt: the worker runs as
  // root and must not be talked into writing elsewhere by a damaged or edited journal.
  private static final Pattern KNOB_FILE = Pattern.compile(
      "sys/module/haltpoll/parameters/guest_halt_poll_[a-z_]+"
          + "|sys/devices/system/cpu/cpuidle/current_governor"
          + "|sys/devices/system/cpu/cpu[0-9]+/cpuidle/state[0-9]+/disable");

  private SysfsLayout() {}

  static String cpuidleDir(int cpu) {
    return CPU + "cpu" + cpu + "/cpuidle";
  }

  /** The allowlist of guest knob files, for the journal. */
  static boolean isKnobFile(String relative) {
    return KNOB_FILE.matcher(relative).matches();
  }

  /** The path as on the guest, for messages: tests use another root, users read sysfs paths. */
  static String shown(String relative) {
    return "/" + relative;
  }
}

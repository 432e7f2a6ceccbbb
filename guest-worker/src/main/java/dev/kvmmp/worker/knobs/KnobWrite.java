package dev.kvmmp.worker.knobs;

import java.nio.file.Path;

/**
 * One value for one knob file: what a run sets, or an original that puts it back.
 *
 * @param knob the knob's name as in {@link KnobNames}
 * @param file the file relative to the root, e.g.
 *     {@code sys/module/haltpoll/parameters/guest_halt_poll_ns}
 * @param value as written to and printed by the file
 */
record KnobWrite(String knob, String file, String value) {

  KnobWrite {
    if (!SysfsLayout.isKnobFile(file)) {
      throw new IllegalArgumentException("'" + file + "' is not a guest knob file");
    }
    // The journal is one tab-separated line per write.
    if (knob.isEmpty() || knob.matches(".*[\\t\\n\\r].*") || value.matches(".*[\\t\\n\\r].*")) {
      throw new IllegalArgumentException("knob '" + knob + "' = '" + value
          + "': empty name, or a tab or line break in the name or value");
    }
  }

  Path in(Path root) {
    return root.resolve(file);
  }

  String shownFile() {
    return SysfsLayout.shown(file);
  }

  KnobWrite withValue(String newValue) {
    return new KnobWrite(knob, file, newValue);
  }
}

package dev.kvmmp.knobs;

import java.nio.file.Path;

/**
 * One value for one knob file: what a run sets, or an original that puts it back. Which files
 * may be written is the {@link KnobFamily}'s to say.
 *
 * @param knob the knob's name as its owner reports it, e.g. {@code guest_halt_poll_ns}
 * @param file the file relative to the root, e.g.
 *     {@code sys/module/haltpoll/parameters/guest_halt_poll_ns}
 * @param value as written to and printed by the file
 */
public record KnobWrite(String knob, String file, String value) {

  public KnobWrite {
    // The journal is one tab-separated line per write.
    if (knob.isEmpty() || knob.matches(".*[\\t\\n\\r].*") || value.matches(".*[\\t\\n\\r].*")) {
      throw new IllegalArgumentException("knob '" + knob + "' = '" + value
          + "': empty name, or a tab or line break in the name or value");
    }
  }

  public Path in(Path root) {
    return root.resolve(file);
  }

  /** The path as on the machine, for messages: tests use another root, users read sysfs paths. */
  public String shownFile() {
    return "/" + file;
  }

  public KnobWrite withValue(String newValue) {
    return new KnobWrite(knob, file, newValue);
  }
}

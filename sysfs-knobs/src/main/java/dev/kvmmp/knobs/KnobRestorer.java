package dev.kvmmp.knobs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes original values back. It goes on past a failure: one stuck file must not keep the other
 * knobs changed.
 */
public final class KnobRestorer {

  private final Path root;
  private final KnobFiles files;

  public KnobRestorer(Path root, KnobFiles files) {
    this.root = root;
    this.files = files;
  }

  /** Writes each original back, in order; returns those that failed, each with the reason. */
  public Map<KnobWrite, String> restore(List<KnobWrite> originals) {
    Map<KnobWrite, String> failed = new LinkedHashMap<>();
    for (KnobWrite original : originals) {
      try {
        files.write(original.in(root), original.value());
      } catch (IOException e) {
        failed.put(original, e.getMessage());
      }
    }
    return failed;
  }

  /** e.g. {@code guest_halt_poll_ns back to '0' at /sys/...: Permission denied}. */
  public static String describe(Map<KnobWrite, String> failed) {
    return failed.entrySet().stream()
        .map(entry -> entry.getKey().knob() + " back to '" + entry.getKey().value() + "' at "
            + entry.getKey().shownFile() + ": " + entry.getValue())
        .collect(Collectors.joining("; "));
  }
}

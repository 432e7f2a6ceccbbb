package dev.kvmmp.probe.facts;

import java.util.List;
import java.util.Optional;

/**
 * The kernel's own parameters from {@code /proc/cmdline}. Words after a lone {@code --} belong to
 * init, not to the kernel, and are ignored.
 *
 * @param text the whole command line as the kernel printed it
 */
record KernelCmdline(String text) {

  /**
   * The value of the last {@code name=value} parameter (the kernel lets a later one win), an
   * empty string for a bare {@code name}, or empty when absent.
   */
  Optional<String> value(String name) {
    Optional<String> found = Optional.empty();
    for (String word : kernelWords()) {
      if (word.equals(name)) {
        found = Optional.of("");
      } else if (word.startsWith(name + "=")) {
        found = Optional.of(word.substring(name.length() + 1));
      }
    }
    return found;
  }

  private List<String> kernelWords() {
    List<String> words = List.of(text.trim().split("\\s+"));
    int end = words.indexOf("--");
    return end < 0 ? words : words.subList(0, end);
  }
}

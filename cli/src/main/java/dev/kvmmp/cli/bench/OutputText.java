package dev.kvmmp.cli.bench;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/** What the parsers and error messages need from a tool's console output. */
final class OutputText {

  // sockperf colours its summary lines even when writing to a file.
  private static final Pattern ANSI_ESCAPE = Pattern.compile("\u001B\\[[0-9;]*[A-Za-z]");

  private OutputText() {}

  static String withoutColours(String text) {
    return ANSI_ESCAPE.matcher(text).replaceAll("");
  }

  /** The last non-blank lines, joined with " | ", for an error message; "(no output)" if none. */
  static String tail(String text, int lines) {
    List<String> nonBlank = Arrays.stream(withoutColours(text).split("\\R"))
        .map(String::strip)
        .filter(l -> !l.isEmpty())
        .toList();
    if (nonBlank.isEmpty()) {
      return "(no output)";
    }
    return String.join(" | ", nonBlank.subList(Math.max(0, nonBlank.size() - lines),
        nonBlank.size()));
  }
}

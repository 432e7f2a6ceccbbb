package dev.kvmmp.worker.facts;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The kernel's own parameters from {@code /proc/cmdline}. Everything after a bare {@code --} is
 * handed to init, not the kernel (Firecracker puts its init arguments there), so it is ignored.
 */
final class KernelCmdline {

  private final List<String> params;

  private KernelCmdline(List<String> params) {
    this.params = params;
  }

  static KernelCmdline parse(String cmdline) {
    List<String> params = new ArrayList<>();
    for (String token : tokens(cmdline)) {
      if (token.equals("--")) {
        break;
      }
      params.add(token);
    }
    return new KernelCmdline(List.copyOf(params));
  }

  /**
   * The value of {@code name=value}; the last occurrence wins, as it does for the kernel's
   * {@code __setup} handlers. Empty when absent or given without a value.
   */
  Optional<String> value(String name) {
    String prefix = name + "=";
    Optional<String> found = Optional.empty();
    for (String param : params) {
      if (param.startsWith(prefix)) {
        found = Optional.of(unquote(param.substring(prefix.length())));
      }
    }
    return found;
  }

  // Splits on blanks outside double quotes: the kernel accepts name="a value with spaces".
  private static List<String> tokens(String cmdline) {
    List<String> tokens = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    boolean quoted = false;
    for (char c : cmdline.toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
        current.append(c);
      } else if (Character.isWhitespace(c) && !quoted) {
        if (current.length() > 0) {
          tokens.add(current.toString());
          current.setLength(0);
        }
      } else {
        current.append(c);
      }
    }
    if (current.length() > 0) {
      tokens.add(current.toString());
    }
    return tokens;
  }

  private static String unquote(String value) {
    return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
        ? value.substring(1, value.length() - 1)
        : value;
  }
}

package dev.kvmmp.probe.discovery;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the probe needs from a QEMU process's command line: the VM's UUID ({@code -uuid}), its
 * name ({@code -name X} or {@code -name guest=X,...}) and the UNIX socket of a QMP monitor, from
 * {@code -qmp unix:PATH[,server=on][,wait=off]} or libvirt's {@code -chardev
 * socket,id=ID,path=PATH,...} with {@code -mon chardev=ID,mode=control}.
 *
 * <p>A QMP monitor that libvirt passes as an inherited fd ({@code -chardev socket,fd=N}) or that
 * listens on TCP has no path here: {@link #qmpSocket()} is then empty.
 */
public record QemuCommandLine(Optional<String> uuid, Optional<String> name,
    Optional<Path> qmpSocket) {

  public QemuCommandLine {
    Objects.requireNonNull(uuid, "uuid");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(qmpSocket, "qmpSocket");
  }

  /** Parses the raw content of {@code /proc/PID/cmdline}: arguments each ended by a NUL. */
  public static QemuCommandLine parse(byte[] procCmdline) {
    String text = new String(procCmdline, StandardCharsets.UTF_8);
    List<String> args = new ArrayList<>(List.of(text.split("\0", -1)));
    // The kernel ends every argument with a NUL, so the split leaves one empty tail.
    if (!args.isEmpty() && args.get(args.size() - 1).isEmpty()) {
      args.remove(args.size() - 1);
    }
    return parse(args);
  }

  /** Parses the argument vector, program name first. */
  public static QemuCommandLine parse(List<String> argv) {
    Optional<String> uuid = Optional.empty();
    Optional<String> name = Optional.empty();
    Optional<Path> qmp = Optional.empty();
    Map<String, Optional<Path>> chardevPaths = new HashMap<>();
    List<String> controlMonitorChardevs = new ArrayList<>();
    for (int i = 1; i + 1 < argv.size(); i++) {
      String option = argv.get(i);
      // QEMU takes every option with one or two dashes.
      if (option.startsWith("--")) {
        option = option.substring(1);
      }
      String value = argv.get(i + 1);
      switch (option) {
        case "-uuid" -> uuid = Optional.of(value.toLowerCase(Locale.ROOT));
        case "-name" -> name = Optional.ofNullable(options(value, "guest").get("guest"));
        case "-qmp", "-qmp-pretty" -> {
          if (qmp.isEmpty() && value.startsWith("unix:")) {
            qmp = Optional.ofNullable(options(value.substring("unix:".length()), "path")
                .get("path")).map(Path::of);
          }
        }
        case "-chardev" -> {
          Map<String, String> opts = options(value, "backend");
          if ("socket".equals(opts.get("backend")) && opts.containsKey("id")) {
            chardevPaths.put(opts.get("id"), Optional.ofNullable(opts.get("path")).map(Path::of));
          }
        }
        case "-mon" -> {
          Map<String, String> opts = options(value, "chardev");
          if ("control".equals(opts.get("mode")) && opts.containsKey("chardev")) {
            controlMonitorChardevs.add(opts.get("chardev"));
          }
        }
        default -> {
          continue;
        }
      }
      i++;
    }
    if (qmp.isEmpty()) {
      qmp = controlMonitorChardevs.stream()
          .map(id -> chardevPaths.getOrDefault(id, Optional.empty()))
          .flatMap(Optional::stream).findFirst();
    }
    return new QemuCommandLine(uuid, name, qmp);
  }

  /**
   * Splits a QEMU option value {@code a=1,b=2} into its keys and values, as QemuOpts does: a
   * first element without '=' belongs to {@code impliedKey}, and ",," stands for a comma.
   */
  static Map<String, String> options(String value, String impliedKey) {
    Map<String, String> result = new LinkedHashMap<>();
    List<String> parts = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == ',' && i + 1 < value.length() && value.charAt(i + 1) == ',') {
        current.append(',');
        i++;
      } else if (c == ',') {
        parts.add(current.toString());
        current.setLength(0);
      } else {
        current.append(c);
      }
    }
    parts.add(current.toString());
    for (int i = 0; i < parts.size(); i++) {
      String part = parts.get(i);
      int eq = part.indexOf('=');
      if (eq >= 0) {
        result.putIfAbsent(part.substring(0, eq), part.substring(eq + 1));
      } else if (i == 0) {
        result.put(impliedKey, part);
      }
    }
    return result;
  }
}

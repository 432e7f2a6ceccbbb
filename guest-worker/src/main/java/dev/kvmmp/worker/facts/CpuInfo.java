package dev.kvmmp.worker.facts;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What {@code /proc/cpuinfo} (x86 layout) tells about the first CPU, and how many processor
 * entries it lists.
 *
 * @param modelName  "model name" of the first processor block, empty when absent
 * @param flags      "flags" of the first processor block
 * @param processors number of "processor" entries
 * @param vendor     "vendor_id", e.g. GenuineIntel, AuthenticAMD
 * @param family     "cpu family"; 0 when absent
 * @param model      "model" (the number, not the name); 0 when absent
 * @param stepping   "stepping"; 0 when absent
 * @param microcode  "microcode", as printed (hex)
 */
record CpuInfo(String modelName, List<String> flags, int processors, String vendor, int family,
    int model, int stepping, String microcode) {

  CpuInfo {
    flags = List.copyOf(flags);
  }

  /** The parsed file, or empty when it cannot be read. */
  static Optional<CpuInfo> read(Path file) {
    List<String> lines = FactFiles.readLines(file);
    return lines.isEmpty() ? Optional.empty() : Optional.of(parse(lines));
  }

  static CpuInfo parse(List<String> lines) {
    String model = "";
    List<String> flags = List.of();
    int processors = 0;
    String vendor = "";
    int family = 0;
    int modelNumber = 0;
    int stepping = 0;
    String microcode = "";
    boolean inFirstBlock = true;
    for (String line : lines) {
      if (line.isBlank()) {
        // Blocks are separated by blank lines; only the first one describes the CPU
        // whose model and flags we report (vCPUs of one VM share a CPU model).
        inFirstBlock = processors == 0;
        continue;
      }
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String key = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      if (key.equals("processor")) {
        processors++;
      } else if (inFirstBlock && key.equals("model name")) {
        model = value;
      } else if (inFirstBlock && key.equals("flags")) {
        flags = value.isEmpty() ? List.of() : Arrays.asList(value.split("\\s+"));
      } else if (inFirstBlock && key.equals("vendor_id")) {
        vendor = value;
      } else if (inFirstBlock && key.equals("cpu family")) {
        family = number(value);
      } else if (inFirstBlock && key.equals("model")) {
        modelNumber = number(value);
      } else if (inFirstBlock && key.equals("stepping")) {
        stepping = number(value);
      } else if (inFirstBlock && key.equals("microcode")) {
        microcode = value;
      }
    }
    return new CpuInfo(model, flags, processors, vendor, family, modelNumber, stepping,
        microcode);
  }

  /** Some hypervisors print "unknown" for a field they hide. */
  private static int number(String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}

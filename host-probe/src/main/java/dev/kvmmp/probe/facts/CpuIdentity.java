package dev.kvmmp.probe.facts;

import java.util.List;

/**
 * What the first processor block of {@code /proc/cpuinfo} (x86 layout) says about the CPU. A
 * host's CPUs share one model, so the first block stands for all of them.
 *
 * @param vendor    "vendor_id", e.g. GenuineIntel, AuthenticAMD; empty when absent
 * @param modelName "model name"; empty when absent
 * @param family    "cpu family"; 0 when absent
 * @param model     "model" (the number, not the name); 0 when absent
 * @param stepping  "stepping"; 0 when absent
 * @param microcode "microcode" as printed (hex); empty when absent
 */
record CpuIdentity(String vendor, String modelName, int family, int model, int stepping,
    String microcode) {

  static final CpuIdentity UNKNOWN = new CpuIdentity("", "", 0, 0, 0, "");

  static CpuIdentity parse(List<String> lines) {
    String vendor = "";
    String modelName = "";
    int family = 0;
    int model = 0;
    int stepping = 0;
    String microcode = "";
    boolean seenField = false;
    for (String line : lines) {
      if (line.isBlank()) {
        if (seenField) {
          break;
        }
        continue;
      }
      int colon = line.indexOf(':');
      if (colon < 0) {
        continue;
      }
      seenField = true;
      String value = line.substring(colon + 1).trim();
      switch (line.substring(0, colon).trim()) {
        case "vendor_id" -> vendor = value;
        case "model name" -> modelName = value;
        case "cpu family" -> family = number(value);
        case "model" -> model = number(value);
        case "stepping" -> stepping = number(value);
        case "microcode" -> microcode = value;
        default -> {
        }
      }
    }
    return new CpuIdentity(vendor, modelName, family, model, stepping, microcode);
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

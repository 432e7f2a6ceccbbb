package dev.kvmmp.probe.facts;

import java.util.List;

/**
 * Names the microarchitecture generation of an x86 CPU from its cpuinfo vendor, family, model and
 * stepping, so that fleets and reports can say "icelake" rather than "family 6 model 106". The
 * generation matters here because it decides which exits APIC virtualization removes (APICv from
 * Ivy Bridge-EP, IPI virtualization from Sapphire Rapids, AVIC from Zen).
 *
 * <p>Model numbers are those of the Intel SDM and the AMD PPRs, as listed in the Linux kernel's
 * {@code arch/x86/include/asm/intel-family.h} (INTEL_IVYBRIDGE_X = 0x3E, ...) and, for AMD, the
 * model ranges of {@code arch/x86/kernel/cpu/amd.c}. Only server and common desktop parts are
 * listed; anything else is {@value #UNKNOWN}.
 */
public final class CpuGenerations {

  /** The label of a CPU that is not in the table. */
  public static final String UNKNOWN = "unknown";

  private static final String INTEL = "GenuineIntel";
  private static final String AMD = "AuthenticAMD";

  /** A model range, optionally limited to a stepping range; the first matching row wins. */
  private record Row(String vendor, int family, int firstModel, int lastModel, int firstStepping,
      int lastStepping, String generation) {

    static Row of(String vendor, int family, int model, String generation) {
      return new Row(vendor, family, model, model, 0, Integer.MAX_VALUE, generation);
    }

    boolean matches(String vendor, int family, int model, int stepping) {
      return this.vendor.equals(vendor) && this.family == family
          && model >= firstModel && model <= lastModel
          && stepping >= firstStepping && stepping <= lastStepping;
    }
  }

  private static final List<Row> TABLE = List.of(
      Row.of(INTEL, 6, 0x3A, "ivybridge"),
      Row.of(INTEL, 6, 0x3E, "ivybridge"), // IVYBRIDGE_X
      Row.of(INTEL, 6, 0x3C, "haswell"),
      Row.of(INTEL, 6, 0x3F, "haswell"), // HASWELL_X
      Row.of(INTEL, 6, 0x45, "haswell"),
      Row.of(INTEL, 6, 0x46, "haswell"),
      Row.of(INTEL, 6, 0x3D, "broadwell"),
      Row.of(INTEL, 6, 0x47, "broadwell"),
      Row.of(INTEL, 6, 0x4F, "broadwell"), // BROADWELL_X
      Row.of(INTEL, 6, 0x56, "broadwell"), // BROADWELL_D
      Row.of(INTEL, 6, 0x4E, "skylake"),
      Row.of(INTEL, 6, 0x5E, "skylake"),
      // SKYLAKE_X (0x55) is three server generations told apart by stepping: 0-4 Skylake-SP,
      // 5-7 Cascade Lake, 11 Cooper Lake.
      new Row(INTEL, 6, 0x55, 0x55, 11, 11, "cooperlake"),
      new Row(INTEL, 6, 0x55, 0x55, 5, Integer.MAX_VALUE, "cascadelake"),
      Row.of(INTEL, 6, 0x55, "skylake"),
      Row.of(INTEL, 6, 0x6A, "icelake"), // ICELAKE_X
      Row.of(INTEL, 6, 0x6C, "icelake"), // ICELAKE_D
      Row.of(INTEL, 6, 0x7D, "icelake"),
      Row.of(INTEL, 6, 0x7E, "icelake"),
      Row.of(INTEL, 6, 0xA7, "rocketlake"),
      Row.of(INTEL, 6, 0x97, "alderlake"),
      Row.of(INTEL, 6, 0x9A, "alderlake"),
      Row.of(INTEL, 6, 0xB7, "raptorlake"),
      Row.of(INTEL, 6, 0xBA, "raptorlake"),
      Row.of(INTEL, 6, 0xBF, "raptorlake"),
      Row.of(INTEL, 6, 0x8F, "sapphirerapids"),
      Row.of(INTEL, 6, 0xCF, "emeraldrapids"),
      Row.of(INTEL, 6, 0xAD, "graniterapids"), // GRANITERAPIDS_X
      Row.of(INTEL, 6, 0xAE, "graniterapids"), // GRANITERAPIDS_D
      Row.of(INTEL, 6, 0xAF, "sierraforest"),
      Row.of(AMD, 0x17, 0x01, "zen"), // Naples, Summit Ridge
      Row.of(AMD, 0x17, 0x11, "zen"), // Raven Ridge
      Row.of(AMD, 0x17, 0x08, "zen+"), // Pinnacle Ridge
      Row.of(AMD, 0x17, 0x18, "zen+"), // Picasso
      Row.of(AMD, 0x17, 0x31, "zen2"), // Rome
      Row.of(AMD, 0x17, 0x60, "zen2"), // Renoir
      Row.of(AMD, 0x17, 0x71, "zen2"), // Matisse
      Row.of(AMD, 0x19, 0x01, "zen3"), // Milan
      Row.of(AMD, 0x19, 0x08, "zen3"), // Chagall
      Row.of(AMD, 0x19, 0x21, "zen3"), // Vermeer
      Row.of(AMD, 0x19, 0x50, "zen3"), // Cezanne
      Row.of(AMD, 0x19, 0x11, "zen4"), // Genoa
      Row.of(AMD, 0x19, 0x61, "zen4"), // Raphael
      new Row(AMD, 0x19, 0xA0, 0xAF, 0, Integer.MAX_VALUE, "zen4"), // Bergamo, Siena
      new Row(AMD, 0x1A, 0, Integer.MAX_VALUE, 0, Integer.MAX_VALUE, "zen5"));

  private CpuGenerations() {
  }

  /**
   * The generation label, e.g. "ivybridge", "cascadelake", "zen4", or {@value #UNKNOWN}.
   *
   * @param vendor   cpuinfo {@code vendor_id}, e.g. GenuineIntel, AuthenticAMD
   * @param family   cpuinfo {@code cpu family} (decimal, extended family included)
   * @param model    cpuinfo {@code model} (decimal, extended model included)
   * @param stepping cpuinfo {@code stepping}
   */
  public static String of(String vendor, int family, int model, int stepping) {
    return TABLE.stream()
        .filter(row -> row.matches(vendor, family, model, stepping))
        .map(Row::generation)
        .findFirst()
        .orElse(UNKNOWN);
  }
}

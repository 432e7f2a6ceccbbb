package dev.kvmmp.worker.facts;

import java.util.Optional;

/**
 * How the guest kernel drives its scheduler tick, decided only from evidence.
 *
 * @param mode          "full", "periodic", "idle" or "unknown"
 * @param nohzFullCpus  the nohz_full CPU list when mode is "full", else empty
 */
record TickMode(String mode, String nohzFullCpus) {

  static final String FULL = "full";
  static final String PERIODIC = "periodic";
  static final String IDLE = "idle";
  static final String UNKNOWN = "unknown";

  /**
   * Decides the tick mode.
   *
   * @param sysfsNohzFull {@code /sys/devices/system/cpu/nohz_full}; only exists on
   *                      CONFIG_NO_HZ_FULL kernels and is authoritative when it lists CPUs
   * @param cmdline       the kernel's parameters
   * @param config        the kernel build config, when readable
   */
  static TickMode detect(Optional<CpuList> sysfsNohzFull, KernelCmdline cmdline,
      Optional<KernelConfig> config) {
    if (sysfsNohzFull.isPresent() && !sysfsNohzFull.get().isEmpty()) {
      return new TickMode(FULL, sysfsNohzFull.get().toString());
    }
    // Without the sysfs file, trust nohz_full= unless the config shows the kernel cannot
    // honour it: a kernel without CONFIG_NO_HZ_FULL ignores the parameter.
    Optional<String> nohzFull = cmdline.value("nohz_full").filter(v -> !v.isEmpty());
    if (nohzFull.isPresent() && config.map(c -> c.isEnabled("CONFIG_NO_HZ_FULL")).orElse(true)) {
      return new TickMode(FULL, nohzFull.get());
    }
    if (cmdline.value("nohz").filter("off"::equals).isPresent()
        || config.map(c -> c.isEnabled("CONFIG_HZ_PERIODIC")).orElse(false)) {
      return new TickMode(PERIODIC, "");
    }
    // A NO_HZ_FULL kernel with no nohz_full CPUs stops the tick only when idle.
    if (config.map(c -> c.isEnabled("CONFIG_NO_HZ_IDLE") || c.isEnabled("CONFIG_NO_HZ_FULL"))
        .orElse(false)) {
      return new TickMode(IDLE, "");
    }
    // "idle" is the default of modern kernels, but without the config it is a guess.
    return new TickMode(UNKNOWN, "");
  }
}

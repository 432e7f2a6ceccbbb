package dev.kvmmp.probe.facts;

import java.util.Optional;

/**
 * How the host kernel drives its scheduler tick, decided only from evidence, with the same rules
 * as the guest-worker so that host and guest facts compare.
 */
final class TickMode {

  static final String FULL = "full";
  static final String PERIODIC = "periodic";
  static final String IDLE = "idle";
  static final String UNKNOWN = "unknown";

  private TickMode() {
  }

  /** "full", "periodic", "idle" or "unknown". */
  static String detect(KernelCmdline cmdline, Optional<KernelConfig> config) {
    // A kernel without CONFIG_NO_HZ_FULL ignores nohz_full=; without the config, trust it.
    if (cmdline.value("nohz_full").filter(v -> !v.isEmpty()).isPresent()
        && config.map(c -> c.isEnabled("CONFIG_NO_HZ_FULL")).orElse(true)) {
      return FULL;
    }
    if (cmdline.value("nohz").filter("off"::equals).isPresent()
        || config.map(c -> c.isEnabled("CONFIG_HZ_PERIODIC")).orElse(false)) {
      return PERIODIC;
    }
    // A NO_HZ_FULL kernel with no nohz_full CPUs stops the tick only when idle.
    if (config.map(c -> c.isEnabled("CONFIG_NO_HZ_IDLE") || c.isEnabled("CONFIG_NO_HZ_FULL"))
        .orElse(false)) {
      return IDLE;
    }
    // "idle" is the default of modern kernels, but without the config it is a guess.
    return UNKNOWN;
  }
}

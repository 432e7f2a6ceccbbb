package dev.kvmmp.probe.facts;

import java.util.List;
import java.util.Optional;

/**
 * The kernel lockdown level: "none", "integrity" or "confidentiality". Lockdown decides which
 * counter sources the host allows (debugfs counters are refused under it).
 */
final class Lockdown {

  private static final List<String> LEVELS = List.of("none", "integrity", "confidentiality");

  private Lockdown() {
  }

  /**
   * The level from {@code /sys/kernel/security/lockdown}, which brackets the active one:
   * {@code [none] integrity confidentiality} gives "none".
   */
  static Optional<String> fromSecurityfs(String text) {
    int open = text.indexOf('[');
    int close = text.indexOf(']', open + 1);
    if (open < 0 || close < 0) {
      return Optional.empty();
    }
    String level = text.substring(open + 1, close).trim();
    return LEVELS.contains(level) ? Optional.of(level) : Optional.empty();
  }

  /**
   * The level the kernel enforces at least, for hosts where securityfs is not mounted: the
   * stronger of the build-time forced level and {@code lockdown=} on the command line. Lockdown
   * can only be raised, so this is a floor, and it is only returned when it is above "none":
   * a kernel without either may still have been locked down (e.g. by EFI secure boot).
   */
  static Optional<String> floor(KernelCmdline cmdline, Optional<KernelConfig> config) {
    int level = 0;
    if (config.map(c -> c.isEnabled("CONFIG_LOCK_DOWN_KERNEL_FORCE_CONFIDENTIALITY"))
        .orElse(false)) {
      level = 2;
    } else if (config.map(c -> c.isEnabled("CONFIG_LOCK_DOWN_KERNEL_FORCE_INTEGRITY"))
        .orElse(false)) {
      level = 1;
    }
    level = Math.max(level, cmdline.value("lockdown").map(LEVELS::indexOf).orElse(0));
    return level > 0 ? Optional.of(LEVELS.get(level)) : Optional.empty();
  }
}

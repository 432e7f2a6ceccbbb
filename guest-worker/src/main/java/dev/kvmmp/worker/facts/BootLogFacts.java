package dev.kvmmp.worker.facts;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the boot log says about the hypervisor and the paravirtual features the guest kernel set
 * up (arch/x86/kernel/kvm.c, kvmclock.c). Messages are matched case-insensitively and without
 * their prefix, because older kernels print them without "kvm-guest: " and in other cases
 * ("KVM setup pv sched yield").
 *
 * @param hypervisor  the name after "Hypervisor detected: ", e.g. "KVM"; empty when absent
 * @param pvFeatures  short feature names, in the fixed order of {@link #FEATURES}
 */
record BootLogFacts(String hypervisor, List<String> pvFeatures) {

  /** Boot log message (lower case) to the short name reported in GuestFacts.pv_features. */
  static final Map<String, String> FEATURES = features();

  private static final String HYPERVISOR_DETECTED = "Hypervisor detected: ";

  BootLogFacts {
    pvFeatures = List.copyOf(pvFeatures);
  }

  static BootLogFacts parse(List<String> lines) {
    String hypervisor = "";
    List<String> lower = new ArrayList<>(lines.size());
    for (String line : lines) {
      int at = line.indexOf(HYPERVISOR_DETECTED);
      if (hypervisor.isEmpty() && at >= 0) {
        hypervisor = line.substring(at + HYPERVISOR_DETECTED.length()).trim();
      }
      lower.add(line.toLowerCase(Locale.ROOT));
    }
    List<String> found = new ArrayList<>();
    FEATURES.forEach((message, name) -> {
      if (lower.stream().anyMatch(l -> l.contains(message))) {
        found.add(name);
      }
    });
    return new BootLogFacts(hypervisor, found);
  }

  private static Map<String, String> features() {
    Map<String, String> features = new LinkedHashMap<>();
    features.put("kvm-clock: using msrs", "kvmclock");
    // "PV spinlocks disabled, ..." must not count, so the match includes "enabled".
    features.put("pv spinlocks enabled", "pv-spinlocks");
    features.put("setup pv ipis", "pv-ipi");
    features.put("setup pv sched yield", "pv-sched-yield");
    features.put("setup pv remote tlb flush", "pv-tlb-flush");
    features.put("replaced with kvm_guest_apic_eoi_write", "pv-eoi");
    // Older kernels logged these two at info level; current ones only at debug level.
    features.put("stealtime: cpu", "pv-steal-time");
    features.put("setup async pf for cpu", "async-pf");
    return Collections.unmodifiableMap(features);
  }
}

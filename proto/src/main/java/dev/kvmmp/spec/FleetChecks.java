package dev.kvmmp.spec;

import dev.kvmmp.proto.v1.Fleet;
import dev.kvmmp.proto.v1.GuestProfile;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** The rules of the {@code fleets} list: names, selectors, guest profiles and micro-VMs. */
final class FleetChecks {

  // Fleet names end up in metric labels and file names, hence the narrow alphabet.
  private static final Pattern FLEET_NAME = Pattern.compile("[A-Za-z0-9._-]+");
  // Kubernetes-like label keys, with '/' for prefixes such as host/.
  private static final Pattern SELECTOR_KEY = Pattern.compile("[A-Za-z0-9._/-]+");
  // sysfs governor names: menu, ladder, teo, haltpoll.
  private static final Pattern GOVERNOR = Pattern.compile("[a-z_]+");

  private FleetChecks() {}

  static void check(List<Fleet> fleets, Violations violations) {
    violations.count("fleets", fleets.size(), "entries", SpecLimits.MAX_FLEETS);
    Map<String, Integer> firstIndexOfName = new HashMap<>();
    for (int i = 0; i < fleets.size(); i++) {
      Fleet fleet = fleets.get(i);
      String path = SpecPath.index("fleets", i);
      String namePath = SpecPath.field(path, "name");
      String name = fleet.getName();
      if (name.isEmpty()) {
        violations.missing(namePath);
      } else if (name.length() > SpecLimits.MAX_FLEET_NAME_CHARS) {
        violations.count(namePath, name.length(), "characters", SpecLimits.MAX_FLEET_NAME_CHARS);
      } else if (!FLEET_NAME.matcher(name).matches()) {
        violations.add(namePath, "'" + name + "' may only contain letters, digits, '.', '_' and '-'");
      } else {
        Integer first = firstIndexOfName.putIfAbsent(name, i);
        if (first != null) {
          violations.add(namePath, "'" + name + "' is already the name of "
              + SpecPath.index("fleets", first));
        }
      }
      checkSelector(fleet.getSelectorMap(), SpecPath.field(path, "selector"), violations);
      long haltPollNs = fleet.getMicroVm().getHaltPollNs();
      // A uint64: a negative long is a value above 2^63.
      if (haltPollNs < 0 || haltPollNs > SpecLimits.MAX_HALT_POLL_NS) {
        violations.add(SpecPath.field(path, "micro_vm.halt_poll_ns"), Long.toUnsignedString(
            haltPollNs) + " is above the maximum " + SpecLimits.MAX_HALT_POLL_NS);
      }
      if (fleet.hasGuestProfile()) {
        checkGuestProfile(fleet.getGuestProfile(), SpecPath.field(path, "guest_profile"), violations);
      }
    }
  }

  private static void checkSelector(Map<String, String> selector, String path, Violations violations) {
    // Sorted, so that messages come out in the same order on every run.
    selector.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(label -> {
      String key = label.getKey();
      String entryPath = SpecPath.key(path, key);
      if (key.isEmpty()) {
        violations.add(entryPath, "empty label key");
      } else if (key.length() > SpecLimits.MAX_SELECTOR_KEY_CHARS) {
        violations.add(entryPath, "label key of " + key.length() + " characters, above the maximum "
            + SpecLimits.MAX_SELECTOR_KEY_CHARS);
      } else if (!SELECTOR_KEY.matcher(key).matches()) {
        violations.add(entryPath,
            "label key may only contain letters, digits, '.', '_', '/' and '-'");
      }
      int valueChars = label.getValue().length();
      if (valueChars > SpecLimits.MAX_SELECTOR_VALUE_CHARS) {
        violations.add(entryPath, "label value of " + valueChars + " characters, above the maximum "
            + SpecLimits.MAX_SELECTOR_VALUE_CHARS);
      }
    });
  }

  private static void checkGuestProfile(GuestProfile profile, String path, Violations violations) {
    String governor = profile.getCpuidleGovernor();
    if (!governor.isEmpty() && !GOVERNOR.matcher(governor).matches()) {
      violations.add(SpecPath.field(path, "cpuidle_governor"), "'" + governor
          + "' is not a cpuidle governor name (lower-case letters and '_', e.g. menu, haltpoll)");
    }
    String statesPath = SpecPath.field(path, "disabled_idle_states");
    for (int i = 0; i < profile.getDisabledIdleStatesCount(); i++) {
      if (profile.getDisabledIdleStates(i).isEmpty()) {
        violations.add(SpecPath.index(statesPath, i), "empty (a cpuidle state name, e.g. HLT)");
      }
    }
  }
}

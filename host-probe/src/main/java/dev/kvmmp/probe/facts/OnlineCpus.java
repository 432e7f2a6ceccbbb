package dev.kvmmp.probe.facts;

import java.util.BitSet;
import java.util.Optional;

/** Counts the CPUs of a sysfs CPU list such as {@code 0-1,4,6-7}. */
final class OnlineCpus {

  private OnlineCpus() {
  }

  /** The number of CPUs in {@code list}, or empty when it is not a CPU list. */
  static Optional<Integer> count(String list) {
    BitSet cpus = new BitSet();
    try {
      for (String element : list.trim().split(",")) {
        int dash = element.indexOf('-');
        int first = Integer.parseInt(dash < 0 ? element : element.substring(0, dash));
        int last = dash < 0 ? first : Integer.parseInt(element.substring(dash + 1));
        if (first < 0 || last < first) {
          return Optional.empty();
        }
        cpus.set(first, last + 1);
      }
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    return Optional.of(cpus.cardinality());
  }
}

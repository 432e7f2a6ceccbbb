package dev.kvmmp.worker.facts;

import java.nio.file.Path;
import java.util.BitSet;
import java.util.Optional;

/**
 * A Linux CPU list as sysfs prints it, e.g. {@code 0-1,4,6-7} in
 * {@code /sys/devices/system/cpu/online}. The stride form of the kernel command line
 * ({@code 0-7:2/4}) is not accepted: sysfs never prints it.
 */
public final class CpuList {

  private final BitSet cpus;
  private final String text;

  private CpuList(BitSet cpus, String text) {
    this.cpus = cpus;
    this.text = text;
  }

  /**
   * Parses a CPU list; an empty string is the empty list.
   *
   * @throws IllegalArgumentException naming the list and the bad element
   */
  public static CpuList parse(String text) {
    String trimmed = text.trim();
    BitSet cpus = new BitSet();
    if (trimmed.isEmpty()) {
      return new CpuList(cpus, trimmed);
    }
    for (String element : trimmed.split(",")) {
      String[] bounds = element.split("-", -1);
      if (bounds.length > 2) {
        throw bad(trimmed, element);
      }
      int first = cpu(trimmed, element, bounds[0]);
      int last = bounds.length == 2 ? cpu(trimmed, element, bounds[1]) : first;
      if (last < first) {
        throw bad(trimmed, element);
      }
      cpus.set(first, last + 1);
    }
    return new CpuList(cpus, trimmed);
  }

  /**
   * The list in {@code file}, or empty when the file cannot be read or does not hold a CPU
   * list: {@code nohz_full} prints {@code (null)} on kernels booted without it.
   */
  public static Optional<CpuList> read(Path file) {
    return FactFiles.readTrimmed(file).flatMap(text -> {
      try {
        return Optional.of(parse(text));
      } catch (IllegalArgumentException e) {
        return Optional.empty();
      }
    });
  }

  /** The online vCPUs of this machine, from sysfs. */
  public static CpuList online() {
    return read(Path.of("/sys/devices/system/cpu/online")).orElseThrow(() ->
        new IllegalStateException("cannot read /sys/devices/system/cpu/online"));
  }

  public int count() {
    return cpus.cardinality();
  }

  public boolean isEmpty() {
    return cpus.isEmpty();
  }

  public boolean contains(int cpu) {
    return cpus.get(cpu);
  }

  /** The list as it was written, e.g. {@code 2-3}. */
  @Override
  public String toString() {
    return text;
  }

  private static int cpu(String list, String element, String number) {
    try {
      int cpu = Integer.parseInt(number.trim());
      if (cpu < 0) {
        throw bad(list, element);
      }
      return cpu;
    } catch (NumberFormatException e) {
      throw bad(list, element);
    }
  }

  private static IllegalArgumentException bad(String list, String element) {
    return new IllegalArgumentException("CPU list '" + list + "': element '" + element
        + "' is not a CPU number or a range N-M with N <= M");
  }
}

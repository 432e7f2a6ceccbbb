package dev.kvmmp.probe.qmp;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.function.ObjLongConsumer;

/**
 * Sums of stats by name, kept from one reading to the next of the same VM: the names are the same
 * every time, so after the first reading a reading allocates nothing here. Not thread-safe.
 */
final class StatSums {

  private final Map<String, Integer> slots = new HashMap<>();
  private String[] names = new String[64];
  private long[] sums = new long[64];
  /** Whether the slot was added to since {@link #clear}: a stat may be absent from a reading. */
  private boolean[] present = new boolean[64];
  private int size;

  /** Forgets the sums, keeping the names' slots. */
  void clear() {
    Arrays.fill(sums, 0, size, 0);
    Arrays.fill(present, 0, size, false);
  }

  /** Adds {@code value} to the sum of {@code name}; u64 sums wrap like the kernel's counters. */
  void add(String name, long value) {
    Integer slot = slots.get(name);
    if (slot == null) {
      slot = newSlot(name);
    }
    sums[slot] += value;
    present[slot] = true;
  }

  private int newSlot(String name) {
    if (size == names.length) {
      names = Arrays.copyOf(names, size * 2);
      sums = Arrays.copyOf(sums, size * 2);
      present = Arrays.copyOf(present, size * 2);
    }
    slots.put(name, size);
    names[size] = name;
    return size++;
  }

  /** Each stat added to since {@link #clear}, with its sum, in the order first seen. */
  void forEach(ObjLongConsumer<String> action) {
    for (int i = 0; i < size; i++) {
      if (present[i]) {
        action.accept(names[i], sums[i]);
      }
    }
  }
}

package dev.kvmmp.worker.workload.memcache;

import java.util.Random;

/**
 * The client's operations, drawn before the run so that the timing loop only indexes two arrays:
 * which key, and get or set. Every key appears in each pass, in shuffled order, and exactly
 * {@code getPercent} of the slots (rounded) are gets. A fixed seed makes repetitions of a run
 * send the same sequence.
 */
final class OpSchedule {

  /** Slots when there are fewer keys, so that the get/set mix is fine-grained. */
  static final int MIN_LENGTH = 4096;

  private final int[] keys;
  private final boolean[] gets;

  private OpSchedule(int[] keys, boolean[] gets) {
    this.keys = keys;
    this.gets = gets;
  }

  static OpSchedule of(int keyCount, int getPercent, long seed) {
    int length = Math.max(MIN_LENGTH, keyCount);
    Random random = new Random(seed);
    int[] keys = new int[length];
    for (int slot = 0; slot < length; slot++) {
      keys[slot] = slot % keyCount;
    }
    boolean[] gets = new boolean[length];
    int getSlots = (int) Math.round(length * getPercent / 100.0);
    for (int slot = 0; slot < getSlots; slot++) {
      gets[slot] = true;
    }
    shuffle(keys, random);
    shuffle(gets, random);
    return new OpSchedule(keys, gets);
  }

  int length() {
    return keys.length;
  }

  int key(int slot) {
    return keys[slot];
  }

  boolean isGet(int slot) {
    return gets[slot];
  }

  private static void shuffle(int[] values, Random random) {
    for (int i = values.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = values[i];
      values[i] = values[j];
      values[j] = swap;
    }
  }

  private static void shuffle(boolean[] values, Random random) {
    for (int i = values.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      boolean swap = values[i];
      values[i] = values[j];
      values[j] = swap;
    }
  }
}

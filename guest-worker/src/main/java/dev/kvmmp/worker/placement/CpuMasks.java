package dev.kvmmp.worker.placement;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** CPU sets as the kernel's affinity bit masks (one bit per CPU, 64 per word). */
final class CpuMasks {

  private CpuMasks() {}

  static long[] of(int cpu) {
    long[] mask = new long[LinuxThreads.MASK_WORDS];
    mask[cpu / 64] |= 1L << (cpu % 64);
    return mask;
  }

  static List<Integer> cpus(long[] mask) {
    List<Integer> cpus = new ArrayList<>();
    for (int word = 0; word < mask.length; word++) {
      for (int bit = 0; bit < 64; bit++) {
        if ((mask[word] & (1L << bit)) != 0) {
          cpus.add(word * 64 + bit);
        }
      }
    }
    return cpus;
  }

  static String describe(long[] mask) {
    return cpus(mask).stream().map(String::valueOf).collect(Collectors.joining(",", "{", "}"));
  }
}

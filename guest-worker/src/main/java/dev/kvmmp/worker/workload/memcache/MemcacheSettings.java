package dev.kvmmp.worker.workload.memcache;

import dev.kvmmp.proto.v1.Memcache;
import dev.kvmmp.spec.ExperimentSpecDefaults;
import dev.kvmmp.spec.SpecLimits;
import dev.kvmmp.worker.workload.WorkloadException;

/**
 * A memcache run's parameters, the spec's defaults applied, and what memcached needs to hold
 * them. Checked against each other: the spec checks each field alone, not whether
 * {@code key_bytes} leaves room for {@code keys} distinct keys.
 */
record MemcacheSettings(int keys, int keyBytes, int valueBytes, int getPercent) {

  /** What memcached adds to each stored item (item header, CAS, suffix), rounded up. */
  private static final int ITEM_OVERHEAD_BYTES = 64;
  /** memcached's default item size limit (-I 1m). */
  private static final int DEFAULT_ITEM_MAX_BYTES = 1 << 20;
  private static final int MIN_MEMORY_MB = 64;

  MemcacheSettings {
    requireRange("keys", keys, 1, SpecLimits.MAX_MEMCACHE_KEYS);
    requireRange("key_bytes", keyBytes, 1, SpecLimits.MAX_MEMCACHE_KEY_BYTES);
    requireRange("value_bytes", valueBytes, 1, SpecLimits.MAX_PAYLOAD_BYTES);
    requireRange("get_percent", getPercent, 0, SpecLimits.MAX_PERCENT);
    int needed = SpecLimits.minMemcacheKeyBytes(keys);
    if (keyBytes < needed) {
      throw new IllegalArgumentException("key_bytes " + keyBytes + " is too short for keys "
          + keys + ": each key is 'k' and a zero-padded index, which needs key_bytes >= "
          + needed + " (raise key_bytes or lower keys)");
    }
  }

  /** The spec's memcache parameters, unset ones at their documented defaults. */
  static MemcacheSettings of(Memcache spec) throws WorkloadException {
    try {
      return new MemcacheSettings(
          spec.hasKeys() ? spec.getKeys() : ExperimentSpecDefaults.MEMCACHE_KEYS,
          spec.hasKeyBytes() ? spec.getKeyBytes() : ExperimentSpecDefaults.MEMCACHE_KEY_BYTES,
          spec.hasValueBytes() ? spec.getValueBytes()
              : ExperimentSpecDefaults.MEMCACHE_VALUE_BYTES,
          spec.hasGetPercent() ? spec.getGetPercent()
              : ExperimentSpecDefaults.MEMCACHE_GET_PERCENT);
    } catch (IllegalArgumentException e) {
      throw new WorkloadException("memcache: " + e.getMessage(), e);
    }
  }

  KeyFormat keyFormat() {
    return new KeyFormat(keys, keyBytes);
  }

  /**
   * memcached's -m: 64 MB, or more when every key's item would not fit, since an evicted key
   * turns a get into a miss and the run into a different workload.
   */
  int memoryMegabytes() {
    // Slab classes grow by 1.25, so an item may take up to a quarter more than its size.
    double bytes = (double) keys * itemBytes() * 1.25;
    return Math.max(MIN_MEMORY_MB, (int) Math.ceil(bytes / (1 << 20)) + 8);
  }

  /** Whether an item is larger than memcached stores by default (values near 1 MiB). */
  boolean needsLargeItems() {
    return itemBytes() > DEFAULT_ITEM_MAX_BYTES;
  }

  private long itemBytes() {
    return (long) keyBytes + valueBytes + ITEM_OVERHEAD_BYTES;
  }

  private static void requireRange(String field, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(field + " " + value + " is outside " + min + "-" + max);
    }
  }
}

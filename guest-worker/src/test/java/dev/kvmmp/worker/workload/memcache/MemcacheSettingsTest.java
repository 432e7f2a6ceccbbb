package dev.kvmmp.worker.workload.memcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvmmp.proto.v1.Memcache;
import dev.kvmmp.worker.workload.WorkloadException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MemcacheSettingsTest {

  @Test
  void unsetFieldsTakeTheSpecsDefaults() throws Exception {
    assertThat(MemcacheSettings.of(Memcache.getDefaultInstance()))
        .isEqualTo(new MemcacheSettings(1_000, 16, 32, 90));
  }

  @Test
  void keyBytesTooShortForTheKeysIsRejectedNamingBoth() {
    assertThatThrownBy(() -> MemcacheSettings.of(
        Memcache.newBuilder().setKeys(1_000_000).setKeyBytes(6).build()))
        .isInstanceOf(WorkloadException.class)
        .hasMessage("memcache: key_bytes 6 is too short for keys 1000000: each key is 'k' and a"
            + " zero-padded index, which needs key_bytes >= 7 (raise key_bytes or lower keys)");
  }

  @Test
  void keysAreDistinctAndKeyBytesLong() {
    KeyFormat format = new MemcacheSettings(1_000_000, 7, 1, 0).keyFormat();
    Set<String> seen = new HashSet<>();
    for (int index : List.of(0, 1, 9, 10, 999_999)) {
      String key = format.key(index);
      assertThat(key).hasSize(7).startsWith("k");
      seen.add(key);
    }
    assertThat(seen).hasSize(5);
    assertThat(format.key(42)).isEqualTo("k000042");

    ByteBuffer request = ByteBuffer.wrap(MemcacheText.get(format.template()));
    format.write(request, MemcacheText.REQUEST_KEY_AT, 123_456);
    assertThat(new String(request.array(), StandardCharsets.US_ASCII))
        .isEqualTo("get k123456\r\n");
  }

  @Test
  void memcachedGetsRoomForEveryKeyAndForLargeValues() {
    MemcacheSettings big = new MemcacheSettings(1_000_000, 16, 1_000, 90);
    MemcacheSettings huge = new MemcacheSettings(10, 16, 1 << 20, 90);

    assertThat(big.memoryMegabytes()).isGreaterThan(1_000_000 * 1_016 / (1 << 20));
    assertThat(big.needsLargeItems()).isFalse();
    assertThat(huge.needsLargeItems()).isTrue();
  }
}

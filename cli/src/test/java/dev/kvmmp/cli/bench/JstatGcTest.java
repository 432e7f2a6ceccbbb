package dev.kvmmp.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvmmp.cli.bench.JstatGc.HeapSample;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** jstat -gc output captured from JDK 17 (G1) on this project's build machine. */
class JstatGcTest {

  private static final long KB = 1024;

  @Test
  void readsEverySampledLineAsUsedAndCommittedHeap() throws IOException {
    List<HeapSample> samples = JstatGc.parse(fixture("jstat-gc-g1-sampled.txt"));

    assertThat(samples).hasSize(4);
    // S0U+S1U+EU+OU = 0 + 3072 + 3072 + 16699 KB
    assertThat(samples.get(2).usedBytes()).isEqualTo(22_843 * KB);
    // S0C+S1C+EC+OC = 0 + 3072 + 16384 + 369664 KB
    assertThat(samples.get(2).committedBytes()).isEqualTo(389_120 * KB);
    assertThat(samples.get(2).youngGcs()).isEqualTo(2);
    assertThat(samples.get(2).gcSeconds()).isEqualTo(0.039);
    // The peak is the last line: 0 + 3072 + 6144 + 16699 KB
    assertThat(samples.stream().mapToLong(HeapSample::usedBytes).max().orElseThrow())
        .isEqualTo(25_915 * KB);
  }

  @Test
  void readsTheHeapLeftAfterAFullCollection() throws IOException {
    List<HeapSample> samples = JstatGc.parse(fixture("jstat-gc-g1-after-full-gc.txt"));

    assertThat(samples).singleElement().satisfies(s -> {
      assertThat(s.usedBytes()).isEqualTo(13_037 * KB);
      assertThat(s.fullGcs()).isEqualTo(1);
    });
  }

  @Test
  void refusesOutputWithoutAHeaderSayingWhatItGot() {
    assertThatThrownBy(() -> JstatGc.parse("12345 not found\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no jstat -gc header")
        .hasMessageContaining("12345 not found");
  }

  @Test
  void readsDecimalCommasOfAnotherLocale() throws IOException {
    String commas = fixture("jstat-gc-g1-after-full-gc.txt").replace("13037.1", "13037,1");

    assertThat(JstatGc.parse(commas).get(0).usedBytes()).isEqualTo(13_037 * KB);
  }

  private static String fixture(String name) throws IOException {
    try (InputStream in = JstatGcTest.class.getResourceAsStream("/bench/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
  }
}

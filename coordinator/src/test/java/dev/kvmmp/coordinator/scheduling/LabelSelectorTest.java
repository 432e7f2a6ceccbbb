package dev.kvmmp.coordinator.scheduling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LabelSelectorTest {

  @Test
  void matchesWhenEveryRequiredLabelHasItsValue() {
    LabelSelector selector = new LabelSelector(Map.of("vcpus", "2", "nohz", "idle"));

    assertThat(selector.matches(Map.of("vcpus", "2", "nohz", "idle", "kernel", "6.18")))
        .isTrue();
    assertThat(selector.matches(Map.of("vcpus", "2", "nohz", "periodic"))).isFalse();
    assertThat(selector.matches(Map.of("vcpus", "2"))).isFalse();
  }

  @Test
  void anEmptySelectorMatchesEveryWorkerAndSaysSo() {
    LabelSelector selector = new LabelSelector(Map.of());

    assertThat(selector.matches(Map.of())).isTrue();
    assertThat(selector).hasToString("(any worker)");
  }
}

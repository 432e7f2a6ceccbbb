package dev.kvmmp.worker.facts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CpuListTest {

  @Test
  void countsRangesAndSingleCpus() {
    assertThat(CpuList.parse("0-1,4,6-7\n").count()).isEqualTo(5);
    assertThat(CpuList.parse("0").count()).isEqualTo(1);
    assertThat(CpuList.parse("").isEmpty()).isTrue();
  }

  @Test
  void rejectsWhatIsNotACpuListNamingTheElement() {
    assertThatThrownBy(() -> CpuList.parse("0-3,5-4"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'0-3,5-4'").hasMessageContaining("'5-4'");
    assertThatThrownBy(() -> CpuList.parse("(null)"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}

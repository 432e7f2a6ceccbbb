package dev.kvmmp.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvmmp.proto.v1.Placement;
import dev.kvmmp.proto.v1.TcpRrMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnumTextTest {

  @ParameterizedTest
  @ValueSource(strings = {"cross-cpu", "CROSS_CPU", "PLACEMENT_CROSS_CPU", "placement-cross-cpu", "Cross_Cpu"})
  void acceptsAnyCaseEitherSeparatorAndOptionalPrefix(String text) {
    assertThat(EnumText.parse(Placement.getDescriptor(), text))
        .contains(Placement.PLACEMENT_CROSS_CPU.getValueDescriptor());
  }

  @ParameterizedTest
  @ValueSource(strings = {"unspecified", "PLACEMENT_UNSPECIFIED", "sideways", ""})
  void rejectsUnknownNamesAndTheUnspecifiedValue(String text) {
    assertThat(EnumText.parse(Placement.getDescriptor(), text)).isEmpty();
  }

  @Test
  void namesValuesInLowerCaseWithoutPrefix() {
    assertThat(EnumText.name(TcpRrMode.TCP_RR_MODE_PROCESSES.getValueDescriptor()))
        .isEqualTo("processes");
    assertThat(EnumText.choices(Placement.getDescriptor()))
        .isEqualTo("unpinned, same-cpu, cross-cpu");
  }
}

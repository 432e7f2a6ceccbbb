package dev.kvmmp.probe.facts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CpuGenerationsTest {

  @ParameterizedTest(name = "{0} family {1} model {2} stepping {3} is {4}")
  @CsvSource({
      "GenuineIntel, 6,  62,  4, ivybridge",
      "GenuineIntel, 6,  63,  2, haswell",
      "GenuineIntel, 6,  79,  1, broadwell",
      "GenuineIntel, 6,  85,  4, skylake",
      "GenuineIntel, 6,  85,  7, cascadelake",
      "GenuineIntel, 6,  85, 11, cooperlake",
      "GenuineIntel, 6, 106,  6, icelake",
      "GenuineIntel, 6, 143,  8, sapphirerapids",
      "GenuineIntel, 6, 207,  2, emeraldrapids",
      "GenuineIntel, 6, 183,  1, raptorlake",
      "GenuineIntel, 6, 173,  1, graniterapids",
      "GenuineIntel, 6, 175,  3, sierraforest",
      // This development machine, as its hypervisor presents it.
      "GenuineIntel, 6, 167,  1, rocketlake",
      "AuthenticAMD, 23,  49, 0, zen2",
      "AuthenticAMD, 25,   1, 1, zen3",
      "AuthenticAMD, 25,  17, 1, zen4",
      "AuthenticAMD, 25, 160, 2, zen4",
      "AuthenticAMD, 26,  17, 0, zen5",
      // Same model number, other vendor or family: the family decides.
      "AuthenticAMD, 6,  62,  4, unknown",
      "GenuineIntel, 25,  1,  1, unknown",
      "GenuineIntel, 6,  15, 11, unknown",
      "'',           0,   0,  0, unknown",
  })
  void namesTheGeneration(String vendor, int family, int model, int stepping, String expected) {
    assertThat(CpuGenerations.of(vendor, family, model, stepping)).isEqualTo(expected);
  }
}

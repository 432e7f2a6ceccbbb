package dev.kvmmp.aggregator.report;

import dev.kvmmp.proto.v1.NoiseFlag;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a run report lacks ({@code missing}) and what makes its figures less trustworthy
 * ({@code noise}), gathered while it is built. Missing entries are kept once each: the start and
 * the end snapshot often name the same gap.
 */
final class Findings {

  private final Set<String> missing = new LinkedHashSet<>();
  private final List<NoiseFlag> noise = new ArrayList<>();

  void missing(String what) {
    missing.add(what);
  }

  void noise(String kind, String detail) {
    noise.add(NoiseFlag.newBuilder().setKind(kind).setDetail(detail).build());
  }

  List<String> missing() {
    return List.copyOf(missing);
  }

  List<NoiseFlag> noise() {
    return List.copyOf(noise);
  }
}

package dev.kvmmp.cli.bench;

import java.util.OptionalDouble;

/** The figure a pair compares: the median where the peer reports percentiles, else the mean. */
public enum Statistic {
  P50("p50"),
  MEAN("mean");

  private final String label;

  Statistic(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public OptionalDouble of(Figures figures) {
    return this == P50 ? figures.p50Us() : figures.meanUs();
  }
}

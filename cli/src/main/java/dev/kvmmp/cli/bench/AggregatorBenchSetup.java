package dev.kvmmp.cli.bench;

/**
 * The size of one {@code kvmmp bench aggregator} trial.
 *
 * @param hosts simulated hosts, each sending one periodic sample a second
 * @param vms VMs per host, each with its counters in every sample
 * @param seconds how long the generator publishes
 * @param runsPerSecond bracketed runs a second, each four tagged snapshots and a run
 */
record AggregatorBenchSetup(int hosts, int vms, int seconds, int runsPerSecond) {

  AggregatorBenchSetup {
    check("hosts", hosts, 1, 1_000_000);
    check("vms", vms, 1, 1_000);
    check("seconds", seconds, 1, 3_600);
    check("runsPerSecond", runsPerSecond, 0, 10_000);
  }

  /** Host samples a second the generator aims at, periodic and tagged. */
  long targetSamplesPerSecond() {
    return hosts + 4L * runsPerSecond;
  }

  private static void check(String name, int value, int min, int max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(name + " must be between " + min + " and " + max
          + ", got " + value);
    }
  }
}

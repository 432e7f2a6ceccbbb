package dev.kvmmp.cli.bench;

/**
 * The size of one {@code kvmmp bench aggregator} trial.
 *
 * @param hosts simulated hosts, each sending one periodic sample a second
 * @param vms VMs per host, each with its counters in every sample
 * @param seconds how long the generator publishes
 * @param runsPerSecond bracketed runs a second, each four tagged snapshots and a run
 * @param warmupSeconds how long the generator publishes before the measured seconds: the
 *     aggregator's first seconds (its group's first assignment, the JIT) are not its steady state
 */
record AggregatorBenchSetup(int hosts, int vms, int seconds, int runsPerSecond,
    int warmupSeconds) {

  AggregatorBenchSetup {
    check("hosts", hosts, 1, 1_000_000);
    check("vms", vms, 1, 1_000);
    check("seconds", seconds, 1, 3_600);
    check("runsPerSecond", runsPerSecond, 0, 10_000);
    check("warmupSeconds", warmupSeconds, 0, 600);
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

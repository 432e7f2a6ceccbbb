package dev.kvmmp.aggregator.stats;

import java.util.ArrayList;
import java.util.List;

/** Hand-made run samples for unit tests. */
final class Runs {

  private Runs() {}

  /** A run whose p99 is twice and mean equal to its p50, with no polling. */
  static RunSample run(String host, String vm, String id, double p50) {
    return new RunSample(host, vm, id, p50, 2 * p50, p50, 0, 0);
  }

  /**
   * hosts x vms x runsPerVm runs of one fleet; run i has p50 = base + i * step (i counting
   * across all of them), so that the fleet has a spread unless step is 0.
   */
  static List<RunSample> grid(String fleet, int hosts, int vms, int runsPerVm, double base,
      double step) {
    List<RunSample> runs = new ArrayList<>();
    for (int h = 0; h < hosts; h++) {
      for (int v = 0; v < vms; v++) {
        for (int r = 0; r < runsPerVm; r++) {
          String id = fleet + "-h" + h + "-v" + v + "-r" + r;
          runs.add(run(fleet + "-h" + h, "vm" + v, id, base + runs.size() * step));
        }
      }
    }
    return runs;
  }
}

package dev.kvmmp.aggregator.stats;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * One fleet's values of a run-level figure, nested as hosts, VMs within a host, runs within a
 * VM. Ordered by ids, not by arrival, so that a seed gives the same resamples whatever order
 * the runs came in.
 */
final class RunClusters {

  private final double[][][] hosts;
  private final double[] buffer;
  private final double median;

  private RunClusters(double[][][] hosts, double median, int maxResampledRuns) {
    this.hosts = hosts;
    this.median = median;
    this.buffer = new double[maxResampledRuns];
  }

  static RunClusters of(List<RunSample> runs, ToDoubleFunction<RunSample> figure) {
    Map<String, Map<String, Map<String, Double>>> tree = new TreeMap<>();
    for (RunSample run : runs) {
      Double previous = tree.computeIfAbsent(run.hostId(), h -> new TreeMap<>())
          .computeIfAbsent(run.vmIdentity(), v -> new TreeMap<>())
          .put(run.runId(), figure.applyAsDouble(run));
      if (previous != null) {
        // Counting a run twice would weigh it double and narrow the interval.
        throw new IllegalArgumentException("run '" + run.runId() + "' appears twice (host '"
            + run.hostId() + "', VM '" + run.vmIdentity() + "'); each run must be given once");
      }
    }
    double[][][] hosts = new double[tree.size()][][];
    int maxHostRuns = 0;
    int h = 0;
    for (Map<String, Map<String, Double>> vms : tree.values()) {
      hosts[h] = new double[vms.size()][];
      int maxVmRuns = 0;
      int v = 0;
      for (Map<String, Double> vmRuns : vms.values()) {
        hosts[h][v] = vmRuns.values().stream().mapToDouble(Double::doubleValue).toArray();
        maxVmRuns = Math.max(maxVmRuns, hosts[h][v].length);
        v++;
      }
      // A resampled host can draw its largest VM every time.
      maxHostRuns = Math.max(maxHostRuns, vms.size() * maxVmRuns);
      h++;
    }
    double[] all = Arrays.stream(hosts).flatMap(Arrays::stream).flatMapToDouble(Arrays::stream)
        .toArray();
    return new RunClusters(hosts, medianOf(all, all.length), hosts.length * maxHostRuns);
  }

  /** The median of all runs, each run counting once. */
  double median() {
    return median;
  }

  /**
   * How many independent units the top of the hierarchy has: the hosts, or with one host its
   * VMs, or with one VM its runs. The bootstrap's spread comes from this level, so its
   * degrees of freedom are this count less one.
   */
  int topLevelClusters() {
    if (hosts.length > 1) {
      return hosts.length;
    }
    if (hosts[0].length > 1) {
      return hosts[0].length;
    }
    return hosts[0][0].length;
  }

  /** The median of one resample: hosts with replacement, then VMs in each, then runs in each. */
  double resampledMedian(SplittableRandom random) {
    int n = 0;
    for (int i = 0; i < hosts.length; i++) {
      double[][] host = hosts[random.nextInt(hosts.length)];
      for (int j = 0; j < host.length; j++) {
        double[] vm = host[random.nextInt(host.length)];
        for (int k = 0; k < vm.length; k++) {
          buffer[n++] = vm[random.nextInt(vm.length)];
        }
      }
    }
    return medianOf(buffer, n);
  }

  /** Median of values[0, n); sorts that prefix in place. */
  static double medianOf(double[] values, int n) {
    Arrays.sort(values, 0, n);
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  }
}

package dev.kvmmp.aggregator.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Runs drawn from a hierarchical model of a fleet: log p50 = log(median * ratio) + host effect +
 * VM effect + run noise. Host and VM effects are normal, run noise Laplace (heavier tails, as
 * run latencies have); all are symmetric around 0, so the population median of a run's p50 is
 * exactly {@code median * ratio} and two fleets' population medians differ by exactly
 * {@code ratio}.
 *
 * @param hosts hosts per fleet
 * @param vmsPerHost VMs on each host
 * @param runsPerVm runs in each VM
 * @param hostSigma standard deviation of the host effect (log scale)
 * @param vmSigma standard deviation of the VM effect (log scale)
 * @param runSigma standard deviation of the run noise (log scale)
 */
record SimulatedFleet(int hosts, int vmsPerHost, int runsPerVm, double hostSigma,
    double vmSigma, double runSigma) {

  static final double MEDIAN_NS = 50_000;

  int runs() {
    return hosts * vmsPerHost * runsPerVm;
  }

  /** One fleet's runs; {@code name} keeps host and run ids apart from another fleet's. */
  List<RunSample> draw(String name, double ratio, SplittableRandom random) {
    List<RunSample> runs = new ArrayList<>(runs());
    double center = Math.log(MEDIAN_NS * ratio);
    for (int h = 0; h < hosts; h++) {
      double host = hostSigma * random.nextGaussian();
      for (int v = 0; v < vmsPerHost; v++) {
        double vm = vmSigma * random.nextGaussian();
        for (int r = 0; r < runsPerVm; r++) {
          double p50 = Math.exp(center + host + vm + laplace(runSigma, random));
          double tail = Math.exp(1.5 + 0.1 * random.nextGaussian());
          runs.add(new RunSample(name + "-h" + h, "vm" + v, name + "-h" + h + "v" + v + "r" + r,
              p50, p50 * tail, p50 * 1.2, 1e8 * ratio, 2_000 * ratio));
        }
      }
    }
    return runs;
  }

  /** Laplace noise with standard deviation {@code sigma}: scale sigma / sqrt(2). */
  private static double laplace(double sigma, SplittableRandom random) {
    double exponential = -Math.log(1 - random.nextDouble());
    return (random.nextBoolean() ? 1 : -1) * exponential * sigma / Math.sqrt(2);
  }
}

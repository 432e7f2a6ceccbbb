package dev.kvmmp.cli.bench;

import dev.kvmmp.cli.bench.JstatGc.HeapSample;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * What one {@code kvmmp bench scheduler} run measured: how it was set up, how the experiment
 * went, the decision latencies (ns) and what the coordinator's JVM spent.
 */
record SchedulerBenchReport(Setup setup, Outcome outcome, Histogram firstWave,
    Histogram nextRun, CoordinatorDecisions inside, CoordinatorDecisions delay,
    CoordinatorCost cost) {

  /** The bench's parameters. */
  record Setup(int workers, int channels, long runMillis, String maxHeap,
      List<String> coordinatorOptions, SchedulerExperiment experiment) {

    Setup {
      coordinatorOptions = List.copyOf(coordinatorOptions);
    }
  }

  /**
   * How the experiment ended, by the coordinator's run counts; times in ns.
   *
   * @param state the experiment's final state, or why it has none (e.g. timed out)
   * @param measuredNanos from sending Submit until the experiment's final state was seen
   * @param workersCpuNanos CPU time of this JVM (the simulated workers) over the same phase
   * @param waitingWorkers workers whose last result expected a next run that never came
   */
  record Outcome(String state, boolean finished, int succeeded, int failed, int cancelled,
      long registrationNanos, long submitNanos, long measuredNanos, long workersCpuNanos,
      int lostWorkers,
      String firstLoss, int waitingWorkers) {

    int done() {
      return succeeded + failed + cancelled;
    }
  }

  /**
   * The coordinator JVM's CPU and memory.
   *
   * @param cpuNanos utime+stime over the measured phase
   * @param heapRegistered after a full GC with every worker registered, before Submit
   * @param heapEnd after a full GC once the experiment finished, workers still connected
   * @param peakUsedBytes highest heap used in the once-a-second samples of the measured phase
   * @param youngGcs collections in the measured phase, by the samples
   */
  record CoordinatorCost(long cpuNanos, HeapSample heapRegistered, HeapSample heapEnd,
      long peakUsedBytes, long peakCommittedBytes, long youngGcs, long fullGcs,
      double gcSeconds, long peakRssBytes) {}
}

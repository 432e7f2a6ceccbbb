package dev.kvmmp.aggregator.stats;

import dev.kvmmp.proto.v1.RunReport;
import java.util.Optional;

/**
 * One run's figures, the sample unit of a fleet comparison (a run, not a request), with where it
 * ran so that the bootstrap can resample hosts, then VMs, then runs.
 *
 * <p>Latency figures are positive: a comparison works on their logarithms. The poll figures are
 * NaN when the run has no host data (no probe saw its VM), never 0, so that "no data" does not
 * read as "no polling".
 *
 * @param hostId the KVM host; runs on one host share its effect
 * @param vmIdentity the VM within the host; runs in one VM share its effect
 * @param runId the run, unique within a fleet
 * @param p50Ns the run's median latency
 * @param p99Ns the run's 99th percentile latency
 * @param meanNs the run's mean latency
 * @param pollNsPerSecond host ns spent halt-polling per second of the run's window, or NaN
 * @param pollNsPerTransaction host ns spent halt-polling per transaction, or NaN
 */
public record RunSample(String hostId, String vmIdentity, String runId, double p50Ns,
    double p99Ns, double meanNs, double pollNsPerSecond, double pollNsPerTransaction) {

  public RunSample {
    requireText("hostId", hostId, runId);
    requireText("vmIdentity", vmIdentity, runId);
    requireText("runId", runId, runId);
    requirePositive("p50Ns", p50Ns, runId);
    requirePositive("p99Ns", p99Ns, runId);
    requirePositive("meanNs", meanNs, runId);
    requireNonNegativeOrNaN("pollNsPerSecond", pollNsPerSecond, runId);
    requireNonNegativeOrNaN("pollNsPerTransaction", pollNsPerTransaction, runId);
  }

  /**
   * The sample of a run report, or empty when the report has no latency (a run without
   * transactions says nothing about latency). A run no probe saw has no host id: all such runs
   * of a fleet count as one host, the cautious choice since they may share one. Its VM is then
   * known by its worker id.
   */
  public static Optional<RunSample> of(RunReport report) {
    var latency = report.getLatency();
    if (!report.hasLatency() || latency.getTransactions() == 0 || latency.getP50Ns() <= 0
        || latency.getP99Ns() <= 0 || latency.getMeanNs() <= 0) {
      return Optional.empty();
    }
    String host = report.getHostId().isEmpty() ? "unknown-host" : report.getHostId();
    String vm = report.getVmIdentity().isEmpty() ? report.getWorkerId() : report.getVmIdentity();
    double pollPerSecond = Double.NaN;
    double pollPerTransaction = Double.NaN;
    if (report.hasHost()) {
      pollPerSecond = report.getHost().getPollNsPerSecond();
      pollPerTransaction = report.getHost().getPollSuccessNs() + report.getHost().getPollFailNs();
    }
    return Optional.of(new RunSample(host, vm.isEmpty() ? "unknown-vm" : vm, report.getRunId(),
        latency.getP50Ns(), latency.getP99Ns(), latency.getMeanNs(), pollPerSecond,
        pollPerTransaction));
  }

  private static void requireText(String field, String value, String runId) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          "run sample '" + runId + "': " + field + " must not be empty, was '" + value + "'");
    }
  }

  private static void requirePositive(String field, double value, String runId) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(
          "run sample '" + runId + "': " + field + " must be finite and > 0, was " + value);
    }
  }

  private static void requireNonNegativeOrNaN(String field, double value, String runId) {
    if (value < 0 || Double.isInfinite(value)) {
      throw new IllegalArgumentException("run sample '" + runId + "': " + field
          + " must be finite and >= 0 (or NaN for no host data), was " + value);
    }
  }
}

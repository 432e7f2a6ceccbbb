package dev.kvmmp.aggregator.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvmmp.proto.v1.HostPerTransaction;
import dev.kvmmp.proto.v1.LatencySummary;
import dev.kvmmp.proto.v1.RunReport;
import org.junit.jupiter.api.Test;

class RunSampleTest {

  private static final LatencySummary LATENCY = LatencySummary.newBuilder()
      .setTransactions(1_000).setP50Ns(40_000).setP99Ns(90_000).setMeanNs(45_000).build();

  @Test
  void reportWithHostDataGivesItsLatencyAndPollCost() {
    RunReport report = RunReport.newBuilder().setRunId("r1").setHostId("h1")
        .setVmIdentity("vm-a").setWorkerId("w1").setLatency(LATENCY)
        .setHost(HostPerTransaction.newBuilder().setPollNsPerSecond(5e7)
            .setPollSuccessNs(300).setPollFailNs(200))
        .build();

    assertThat(RunSample.of(report))
        .contains(new RunSample("h1", "vm-a", "r1", 40_000, 90_000, 45_000, 5e7, 500));
  }

  @Test
  void reportWithoutProbeCountsAsOneUnknownHostWithTheWorkerAsVmAndNoPollCost() {
    RunReport report = RunReport.newBuilder().setRunId("r1").setWorkerId("w1")
        .setLatency(LATENCY).build();

    RunSample sample = RunSample.of(report).orElseThrow();

    assertThat(sample.hostId()).isEqualTo("unknown-host");
    assertThat(sample.vmIdentity()).isEqualTo("w1");
    assertThat(sample.pollNsPerSecond()).isNaN();
    assertThat(sample.pollNsPerTransaction()).isNaN();
  }

  @Test
  void reportWithoutTransactionsHasNoSample() {
    RunReport report = RunReport.newBuilder().setRunId("r1").setWorkerId("w1")
        .setLatency(LatencySummary.newBuilder().setTransactions(0)).build();

    assertThat(RunSample.of(report)).isEmpty();
    assertThat(RunSample.of(RunReport.newBuilder().setRunId("r2").build())).isEmpty();
  }

  @Test
  void nonPositiveLatencyIsRejectedNamingFieldRunAndValue() {
    assertThatThrownBy(() -> new RunSample("h", "vm", "r7", 0, 1, 1, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("run sample 'r7': p50Ns must be finite and > 0, was 0.0");
  }

  @Test
  void negativePollCostIsRejected() {
    assertThatThrownBy(() -> new RunSample("h", "vm", "r7", 1, 1, 1, -1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pollNsPerSecond must be finite and >= 0");
  }

  @Test
  void emptyHostIsRejected() {
    assertThatThrownBy(() -> new RunSample("", "vm", "r7", 1, 1, 1, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("run sample 'r7': hostId must not be empty, was ''");
  }
}

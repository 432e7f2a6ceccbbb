package dev.kvmmp.aggregator.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.protobuf.util.JsonFormat;
import dev.kvmmp.aggregator.stats.FleetComparisons;
import dev.kvmmp.aggregator.stats.RunSample;
import dev.kvmmp.proto.v1.FleetComparison;
import dev.kvmmp.proto.v1.HostPerTransaction;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunReport;
import dev.kvmmp.proto.v1.VmCounters;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Micro-VM (ipi_halt) runs' host figures, on real data: two runs of
 * {@code seeds/quickstart/ipi_halt.yaml} (cross-CPU, 5000 round trips) captured on this machine
 * from {@code kvmmp local}'s kvmmp.runs topic, as proto JSON under {@code report/microvm/}: one
 * with the micro-VM's halt polling off, one at 200 us. The probe that ran the VM put each vCPU's
 * binary stats and the vCPU threads' kvm tracepoint counts, already deltas over the measured
 * round trips, in the result; the expected figures are computed by hand from those files.
 */
class MicroVmRunReportTest {

  private static final double TX = 5000; // result.transactions of both runs

  @Test
  void hostFiguresAreTheMicroVmsCountsPerRoundTrip() throws IOException {
    RunReport report = report("run-poll-on.json");
    HostPerTransaction host = report.getHost();
    assertThat(host.getSource()).isEqualTo("stats-fd");
    assertThat(host.getWindowNs()).isEqualTo(129_681_039L); // result.windowNs
    // vcpu0 + vcpu1 stats: exits 5017 + 5002, halt_exits 5000 + 5000
    assertThat(host.getExits()).isEqualTo((5017 + 5002) / TX);
    assertThat(host.getHltExits()).isEqualTo(2.0);
    // halt_attempted_poll 4980 + 4990, halt_successful_poll 4882 + 4656
    assertThat(host.getHaltPollsAttempted()).isEqualTo((4980 + 4990) / TX);
    assertThat(host.getHaltPollsSuccessful()).isEqualTo((4882 + 4656) / TX);
    assertThat(host.getPollSuccessRate()).isEqualTo((4882 + 4656) / (double) (4980 + 4990));
    // halt_poll_success_ns 19675338 + 36242650, halt_poll_fail_ns 1558360 + 2437225
    assertThat(host.getPollSuccessNs()).isEqualTo((19_675_338 + 36_242_650) / TX);
    assertThat(host.getPollFailNs()).isEqualTo((1_558_360 + 2_437_225) / TX);
    // halt_wait_ns 39982461 + 56763969, halt_wakeup 101 + 340
    assertThat(host.getWaitNs()).isEqualTo((39_982_461 + 56_763_969) / TX);
    assertThat(host.getHaltWakeups()).isEqualTo((101 + 340) / TX);
    assertThat(host.getPollNsPerSecond()).isCloseTo(
        (19_675_338 + 36_242_650 + 1_558_360 + 2_437_225) * 1e9 / 129_681_039, within(1e-6));
    // tracepoints: kvm_msr:ICR 10000, TMICT 0, TSC_DEADLINE 0, ALL 20000 (the rest are EOIs)
    assertThat(host.getMsrIcr()).isEqualTo(2.0);
    assertThat(host.getMsrTmict()).isZero();
    assertThat(host.getMsrTscDeadline()).isZero();
    assertThat(host.getMsrOther()).isEqualTo((20_000 - 10_000) / TX);
  }

  @Test
  void reportsTheMicroVmsHostSideNotMissingSnapshots() throws IOException {
    RunReport report = report("run-poll-off.json");
    assertThat(report.hasHost()).isTrue();
    assertThat(report.hasGuest()).isFalse();
    assertThat(report.getHostId()).isEqualTo("3d1219c7c4c5404aaa1f6d2a48adfda4");
    // kvm:kvm_exit never fires on this machine: every kvm_exit:* count is 0 while exits happen.
    assertThat(report.getHost().getExitsByReasonList()).isEmpty();
    assertThat(report.getMissingList()).containsExactly(
        "host: exits by reason: kvm:kvm_exit counted none of the window's 10025 exits (the "
            + "tracepoint did not fire)", // exits 5017 + 5008
        "host: exits above baseline: no idle baseline",
        "guest: the result has no guest deltas (a host workload runs no guest)");
  }

  @Test
  void pollingOffMeasuresZeroPollCostNotNone() throws IOException {
    RunReport report = report("run-poll-off.json");
    // halt_attempted_poll, halt_poll_success_ns, halt_poll_fail_ns: 0 on both vCPUs
    assertThat(report.getHost().getHaltPollsAttempted()).isZero();
    assertThat(report.getHost().getPollNsPerSecond()).isZero();
    // halt_wait_ns 485061251 + 515400809: both vCPUs slept through about half the window each
    assertThat(report.getHost().getWaitNs()).isEqualTo((485_061_251 + 515_400_809) / TX);
    assertThat(RunSample.of(report).orElseThrow().pollNsPerTransaction()).isZero();
  }

  @Test
  void fleetComparisonsGetTheMicroVmsPollCostPerTransaction() throws IOException {
    RunSample off = RunSample.of(report("run-poll-off.json")).orElseThrow();
    RunSample on = RunSample.of(report("run-poll-on.json")).orElseThrow();
    double pollOnPerTransaction = (19_675_338 + 36_242_650 + 1_558_360 + 2_437_225) / TX;
    assertThat(on.pollNsPerTransaction()).isCloseTo(pollOnPerTransaction, within(1e-9));

    FleetComparison comparison = FleetComparisons.compare(0, "ipi_halt", "poll-off",
        List.of(off), "poll-on", List.of(on), 1);

    assertThat(comparison.getBaselinePollNsPerTransaction()).isZero();
    assertThat(comparison.getPollNsPerTransaction()).isCloseTo(pollOnPerTransaction,
        within(1e-9));
  }

  @Test
  void aStatOneVcpuLacksIsMissingNotHalfTheSum() throws IOException {
    Run.Builder run = run("run-poll-on.json").toBuilder();
    VmCounters.Builder vcpu1 = run.getResultBuilder().getHostVcpuCountersBuilder(1);
    vcpu1.removeStats("halt_wakeup");
    RunReport report = RunReports.build(run.build(), List.of(), ReportSettings.DEFAULTS,
        Instant.EPOCH);
    assertThat(report.getHost().getHaltWakeups()).isZero();
    assertThat(report.getMissingList()).contains("host: stat 'halt_wakeup' is not in vcpu1's "
        + "stats");
  }

  @Test
  void withoutTracepointCountsTheMsrFiguresAreMissingAndTheNotesSayWhy() throws IOException {
    Run.Builder run = run("run-poll-on.json").toBuilder();
    // Entry 2 is the "vcpus" entry of source "tracepoints".
    run.getResultBuilder().removeHostVcpuCounters(2).addNotes("kvm tracepoint counts: no tracefs");
    RunReport report = RunReports.build(run.build(), List.of(), ReportSettings.DEFAULTS,
        Instant.EPOCH);
    assertThat(report.getHost().getHltExits()).as("the stats still count").isEqualTo(2.0);
    assertThat(report.getMissingList()).contains("host: kvm tracepoint counts: no tracefs",
        "host: no kvm tracepoint counts (tracepoints) in the micro-VM result",
        "host: MSR writes 0x830 (ICR): kvm_msr:ICR was not counted",
        "host: exits by reason: not counted for this VM");
  }

  @Test
  void aResultWithoutCountersHasNoHostFigures() throws IOException {
    Run.Builder run = run("run-poll-on.json").toBuilder();
    run.getResultBuilder().clearHostVcpuCounters()
        .addNotes("no KVM_CAP_BINARY_STATS_FD (Linux < 5.14): no per-vCPU KVM stats");
    RunReport report = RunReports.build(run.build(), List.of(), ReportSettings.DEFAULTS,
        Instant.EPOCH);
    assertThat(report.hasHost()).isFalse();
    assertThat(RunSample.of(report).orElseThrow().pollNsPerTransaction()).isNaN();
    assertThat(report.getMissingList()).contains(
        "host: no KVM_CAP_BINARY_STATS_FD (Linux < 5.14): no per-vCPU KVM stats",
        "host: the micro-VM result has no counters (host_vcpu_counters is empty)");
  }

  private static RunReport report(String file) throws IOException {
    return RunReports.build(run(file), List.of(), ReportSettings.DEFAULTS, Instant.EPOCH);
  }

  private static Run run(String file) throws IOException {
    Run.Builder run = Run.newBuilder();
    try (InputStream in = MicroVmRunReportTest.class.getResourceAsStream("/report/microvm/"
        + file); Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      JsonFormat.parser().merge(reader, run);
    }
    return run.build();
  }
}

package dev.kvmmp.aggregator.report;

import static dev.kvmmp.aggregator.report.ReportInputs.HOST;
import static dev.kvmmp.aggregator.report.ReportInputs.run;
import static dev.kvmmp.aggregator.report.ReportInputs.sample;
import static dev.kvmmp.aggregator.report.ReportInputs.vm;
import static dev.kvmmp.aggregator.report.ReportInputs.withMsrs;
import static dev.kvmmp.proto.v1.SampleKind.SAMPLE_KIND_IDLE_BASELINE;
import static dev.kvmmp.proto.v1.SampleKind.SAMPLE_KIND_IDLE_BASELINE_END;
import static dev.kvmmp.proto.v1.SampleKind.SAMPLE_KIND_WINDOW_END;
import static dev.kvmmp.proto.v1.SampleKind.SAMPLE_KIND_WINDOW_START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.kvmmp.proto.v1.ExitCount;
import dev.kvmmp.proto.v1.GuestPerTransaction;
import dev.kvmmp.proto.v1.HostPerTransaction;
import dev.kvmmp.proto.v1.HostSample;
import dev.kvmmp.proto.v1.NoiseFlag;
import dev.kvmmp.proto.v1.PerTransaction;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunReport;
import dev.kvmmp.proto.v1.RunState;
import dev.kvmmp.proto.v1.VmCounters;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The report's rules one by one, on made-up runs and snapshots. */
class RunReportsTest {

  private static final Instant NOW = Instant.parse("2026-11-26T10:00:00.123Z");

  /** Baseline 1000 -> 1050 exits over 0.5 s (100/s); window 2000 -> 6000 exits over 1 s. */
  static List<HostSample> snapshots() {
    return new ArrayList<>(List.of(
        sample(SAMPLE_KIND_IDLE_BASELINE, 1, 0, vm(1000)),
        sample(SAMPLE_KIND_IDLE_BASELINE_END, 2, 500_000_000L, vm(1050)),
        sample(SAMPLE_KIND_WINDOW_START, 3, 1_000_000_000L, withMsrs(vm(2000),
            Map.of(0x838, 0L, 0x6e0, 100L, 0x830, 200L, 0, 1000L))),
        sample(SAMPLE_KIND_WINDOW_END, 4, 2_000_000_000L, withMsrs(vm(6000),
            Map.of(0x838, 0L, 0x6e0, 2100L, 0x830, 2200L, 0, 6000L)))));
  }

  static RunReport build(Run run, List<HostSample> snapshots) {
    return RunReports.build(run, snapshots, ReportSettings.DEFAULTS, NOW);
  }

  @Test
  void hostFiguresAreWindowDeltasPerTransaction() {
    RunReport report = build(run().build(), snapshots());
    HostPerTransaction host = report.getHost();
    assertThat(host.getWindowNs()).isEqualTo(1_000_000_000L);
    assertThat(host.getExits()).isEqualTo(4.0); // (6000 - 2000) / 1000
    assertThat(host.getHltExits()).isEqualTo(1.0); // (1500 - 500) / 1000
    assertThat(host.getHaltPollsAttempted()).isEqualTo(0.8); // (1200 - 400) / 1000
    assertThat(host.getHaltPollsSuccessful()).isEqualTo(0.4); // (600 - 200) / 1000
    assertThat(host.getPollSuccessRate()).isEqualTo(0.5); // 400 / 800
    assertThat(host.getPollSuccessNs()).isEqualTo(400.0); // (600000 - 200000) / 1000
    assertThat(host.getPollFailNs()).isEqualTo(200.0); // (300000 - 100000) / 1000
    assertThat(host.getPollNsPerSecond()).isEqualTo(600_000.0); // (400000 + 200000) / 1 s
    assertThat(host.getWaitNs()).isEqualTo(4000.0);
    assertThat(host.getHaltWakeups()).isEqualTo(1.0);
    assertThat(host.getMsrTscDeadline()).isEqualTo(2.0);
    assertThat(host.getMsrIcr()).isEqualTo(2.0);
    assertThat(host.getMsrTmict()).isZero();
    assertThat(host.getMsrOther()).isEqualTo(1.0); // (5000 - 2000 - 2000 - 0) / 1000
    assertThat(report.getMissingList()).containsExactly(
        "host: exits by reason: not counted for this VM");
    assertThat(report.getNoiseList()).isEmpty();
    assertThat(report.getReportedAt().getNanos()).isEqualTo(123_000_000);
  }

  @Test
  void subtractsTheIdleBaselinesRate() {
    RunReport report = build(run().build(), snapshots());
    assertThat(report.getIdleBaseline().getExitsPerSecond()).isEqualTo(100.0);
    assertThat(report.getIdleBaseline().getWindowNs()).isEqualTo(500_000_000L);
    // 4000 exits - 100/s * 1 s = 3900, per 1000 transactions
    assertThat(report.getHost().getExitsAboveBaseline()).isEqualTo(3.9);
  }

  @Test
  void exitsAboveABusierBaselineAreZeroNotNegative() {
    List<HostSample> samples = snapshots();
    samples.set(1, sample(SAMPLE_KIND_IDLE_BASELINE_END, 2, 500_000_000L, vm(1_000_000)));
    assertThat(build(run().build(), samples).getHost().getExitsAboveBaseline()).isZero();
  }

  @Test
  void withoutABaselineTheFigureIsNamedMissing() {
    List<HostSample> samples = snapshots().subList(2, 4);
    RunReport report = build(run().build(), samples);
    assertThat(report.hasIdleBaseline()).isFalse();
    assertThat(report.getMissingList()).contains("host: idle baseline: no IDLE_BASELINE snapshot",
        "host: exits above baseline: no idle baseline");
    assertThat(report.getHost().getExits()).isEqualTo(4.0);
  }

  @Test
  void guestFiguresAreTheWorkersCountsPerTransaction() {
    RunReport report = build(run().build(), snapshots());
    assertThat(report.getGuest().getTimerMsrWrites()).isEqualTo(2.1); // (2000 + 100) / 1000
    assertThat(report.getGuest().getIcrWrites()).isEqualTo(2.0);
    assertThat(report.getGuest().getHltEntries()).isEqualTo(1.0); // POLL is not a halt
    assertThat(report.getGuest().getIpisSent()).isEqualTo(2.0); // 1900 + 100
    assertThat(report.getGuest().getLocalTimerInterrupts()).isEqualTo(0.5);
    assertThat(report.getGuest().getRescheduleIpis()).isEqualTo(1.0);
    assertThat(report.getGuest().getCallFunctionIpis()).isEqualTo(0.02);
    assertThat(report.getGuest().getIcrHostOverGuest()).isEqualTo(1.0); // 2000 host / 2000 guest
  }

  @Test
  void guestPollNsIsThePollStatesTimePerTransaction() {
    GuestPerTransaction guest = build(run().build(), snapshots()).getGuest();
    assertThat(guest.getGuestPollNs()).isEqualTo(4000.0); // 4000000 ns / 1000
    assertThat(guest.getIdleTimeNsList()).containsExactly(
        PerTransaction.newBuilder().setName("POLL").setCount(4_000_000).setPerTransaction(4000)
            .build(),
        PerTransaction.newBuilder().setName("haltpoll idle").setCount(900_000_000)
            .setPerTransaction(900_000).build());
  }

  @Test
  void aGuestThatDidNotPollHasZeroPollNsNotMissing() {
    Run.Builder run = run();
    run.getResultBuilder().getGuestDeltasBuilder().getIdleStatesBuilder(0).setTimeNs(0);
    RunReport report = build(run.build(), snapshots());
    assertThat(report.getGuest().hasGuestPollNs()).isTrue();
    assertThat(report.getGuest().getGuestPollNs()).isZero();
  }

  @Test
  void haltsComeFromCpuidleCountersWhereAVcpuEmittedNoTracepoint() {
    Run.Builder run = run();
    // As on this machine: vCPU 1's halts are in its usage counters, not in power:cpu_idle.
    run.getResultBuilder().getGuestDeltasBuilder().getIdleStatesBuilder(1).setEntries(1990);
    assertThat(build(run.build(), snapshots()).getGuest().getHltEntries()).isEqualTo(1.99);

    run.getResultBuilder().getGuestDeltasBuilder().clearIdleStates();
    assertThat(build(run.build(), snapshots()).getGuest().getHltEntries())
        .as("the tracepoint's count, without the counters").isEqualTo(1.0);
  }

  @Test
  void idleStatesNotReadLeavePollNsUnsetAndNamed() {
    Run.Builder run = run();
    run.getResultBuilder().getGuestDeltasBuilder().clearIdleStates()
        .addMissingEvents("cpuidle states (no /sys/devices/system/cpu/cpu1/cpuidle)");
    RunReport report = build(run.build(), snapshots());
    assertThat(report.getGuest().hasGuestPollNs()).isFalse();
    assertThat(report.getGuest().getIdleTimeNsList()).isEmpty();
    assertThat(report.getMissingList()).contains(
        "guest: cpuidle states (no /sys/devices/system/cpu/cpu1/cpuidle)",
        "guest: POLL ns: the guest's cpuidle states were not read");
  }

  @Test
  void aGuestWithoutAPollStateHasNoPollNs() {
    Run.Builder run = run();
    run.getResultBuilder().getGuestDeltasBuilder().removeIdleStates(0);
    RunReport report = build(run.build(), snapshots());
    assertThat(report.getGuest().hasGuestPollNs()).isFalse();
    assertThat(report.getGuest().getIdleTimeNsList()).hasSize(1);
    assertThat(report.getMissingList()).contains(
        "guest: POLL ns: the guest has no POLL idle state (it has [haltpoll idle])");
  }

  @Test
  void guestEventsNotCountedAreMissingAndHaveNoRatio() {
    Run.Builder run = run();
    run.getResultBuilder().getGuestDeltasBuilder().removeEvents(GuestFigures.MSR_ICR)
        .removeEvents(GuestFigures.MSR_TMICT).addMissingEvents("msr:write_msr/0x830 (EACCES)");
    RunReport report = build(run.build(), snapshots());
    assertThat(report.getGuest().hasIcrHostOverGuest()).isFalse();
    // Each figure's entry carries the worker's reason, where it gave one.
    assertThat(report.getMissingList()).contains("guest: msr:write_msr/0x830 (EACCES)",
        "guest: ICR writes: msr:write_msr/0x830 not counted: EACCES",
        "guest: timer MSR writes: msr:write_msr/0x6e0 and msr:write_msr/0x838 not both counted");
  }

  @Test
  void latencyComesFromTheHistogram() {
    RunReport report = build(run().build(), snapshots());
    assertThat(report.getLatency().getTransactions()).isEqualTo(1000);
    assertThat(report.getLatency().getTransactionsPerSecond()).isEqualTo(1000.0);
    // values 10000, 10010, ... 19990 ns; 3 significant digits
    assertThat(report.getLatency().getP50Ns()).isCloseTo(14_995, within(20.0));
    assertThat(report.getLatency().getP99Ns()).isCloseTo(19_900, within(20.0));
    assertThat(report.getLatency().getMeanNs()).isCloseTo(14_995, within(20.0));
  }

  @Test
  void aMissingStatIsNamedNotZero() {
    List<HostSample> samples = snapshots();
    VmCounters.Builder end = withMsrs(vm(6000), Map.of()).removeStats("halt_wait_ns")
        .addMissing("kvm events: perf_event_open: EACCES");
    samples.set(3, sample(SAMPLE_KIND_WINDOW_END, 4, 2_000_000_000L, end));
    RunReport report = build(run().build(), samples);
    assertThat(report.getMissingList()).contains(
        "host: stat 'halt_wait_ns' is not in the WINDOW_END snapshot",
        "host: kvm events: perf_event_open: EACCES",
        "host: MSR writes 0x830 (ICR) is not in the WINDOW_END snapshot");
    assertThat(report.getGuest().hasIcrHostOverGuest()).isFalse();
  }

  @Test
  void aCounterThatWentBackwardsIsFlaggedAndGivesNoFigure() {
    List<HostSample> samples = snapshots();
    samples.set(3, sample(SAMPLE_KIND_WINDOW_END, 4, 2_000_000_000L,
        vm(6000).putStats("halt_exits", 3)));
    RunReport report = build(run().build(), samples);
    assertThat(report.getHost().getHltExits()).isZero();
    assertThat(report.getHost().getExits()).isEqualTo(4.0);
    assertThat(report.getNoiseList()).extracting(NoiseFlag::getKind).contains("counter_reset");
    assertThat(report.getMissingList()).contains(
        "host: stat 'halt_exits' went backwards: no figure");
  }

  @Test
  void aRestartedVmGivesNoHostFigures() {
    List<HostSample> samples = snapshots();
    samples.set(3, sample(SAMPLE_KIND_WINDOW_END, 4, 2_000_000_000L, vm(6000).setVmmPid(43)));
    RunReport report = build(run().build(), samples);
    assertThat(report.hasHost()).isFalse();
    assertThat(report.getNoiseList()).extracting(NoiseFlag::getKind).containsExactly(
        "counter_reset");
    assertThat(report.hasGuest()).isTrue();
  }

  @Test
  void aDuplicatedSampleIsKeptOnceAndFlagged() {
    List<HostSample> samples = snapshots();
    samples.add(samples.get(3));
    RunReport report = build(run().build(), samples);
    assertThat(report.getHost().getExits()).isEqualTo(4.0);
    assertThat(report.getNoiseList()).extracting(NoiseFlag::getDetail).containsExactly(
        "sequence 4 (WINDOW_END) of host " + HOST + " came twice: kept the first");
  }

  @Test
  void arrivalOrderDoesNotMatter() {
    List<HostSample> samples = snapshots();
    java.util.Collections.reverse(samples);
    RunReport report = build(run().build(), samples);
    assertThat(report).isEqualTo(build(run().build(), snapshots()));
  }

  @Test
  void sequencesDisagreeingWithKindsAreFlaggedAndGiveNoWindow() {
    List<HostSample> samples = snapshots();
    samples.set(2, sample(SAMPLE_KIND_WINDOW_START, 5, 1_000_000_000L, vm(2000)));
    RunReport report = build(run().build(), samples);
    assertThat(report.getNoiseList()).extracting(NoiseFlag::getKind).containsExactly(
        "out_of_order");
    assertThat(report.hasHost()).isFalse();
    assertThat(report.getMissingList()).anyMatch(m -> m.startsWith(
        "host: WINDOW_END (sequence 4, monotonic 2000000000 ns) is not after WINDOW_START"));
  }

  @Test
  void aRetriedAttemptsLaterSnapshotsAreUsed() {
    List<HostSample> samples = snapshots();
    samples.add(sample(SAMPLE_KIND_WINDOW_START, 10, 5_000_000_000L, vm(10_000)));
    samples.add(sample(SAMPLE_KIND_WINDOW_END, 11, 6_000_000_000L, vm(12_000)));
    RunReport report = build(run().build(), samples);
    assertThat(report.getHost().getExits()).isEqualTo(2.0); // (12000 - 10000) / 1000
    assertThat(report.getNoiseList()).extracting(NoiseFlag::getKind)
        .containsExactly("duplicate_sample", "duplicate_sample");
  }

  @Test
  void aRunWithoutSnapshotsIsReportedFromItsGuestSide() {
    RunReport report = build(run().build(), List.of());
    assertThat(report.hasHost()).isFalse();
    assertThat(report.hasGuest()).isTrue();
    assertThat(report.hasLatency()).isTrue();
    assertThat(report.getMissingList()).containsExactly("host: no snapshots of this run");
    assertThat(build(run().setBracketed(false).build(), null).getMissingList()).containsExactly(
        "host: no snapshots of this run (it was not bracketed: no probe on its host knows its VM)");
  }

  @Test
  void aMissingEndSnapshotIsNamed() {
    RunReport report = build(run().build(), snapshots().subList(0, 3));
    assertThat(report.hasHost()).isFalse();
    assertThat(report.hasIdleBaseline()).isTrue();
    assertThat(report.getMissingList()).containsExactly("host: no WINDOW_END snapshot");
  }

  @Test
  void snapshotsWithoutTheRunsVmGiveNoHostFigures() {
    List<HostSample> samples = snapshots();
    samples.set(3, sample(SAMPLE_KIND_WINDOW_END, 4, 2_000_000_000L, vm(6000).setVmIdentity("b")));
    RunReport report = build(run().build(), samples);
    assertThat(report.hasHost()).isFalse();
    assertThat(report.getMissingList()).contains(
        "host: VM 'vm-a' is not in the WINDOW_END snapshot (sequence 4, 1 VMs)");
  }

  @Test
  void aFailedRunGetsItsReasonAndNoFigures() {
    Run failed = run().setState(RunState.RUN_STATE_FAILED).setReason("worker w-1 lost").build();
    RunReport report = build(failed, snapshots());
    assertThat(report.hasLatency()).isFalse();
    assertThat(report.hasHost()).isFalse();
    assertThat(report.hasGuest()).isFalse();
    assertThat(report.hasIdleBaseline()).isTrue();
    assertThat(report.getMissingList()).containsExactly(
        "latency: the run is FAILED (worker w-1 lost): no result, no per-transaction figures");
    assertThat(report.getRunId()).isEqualTo(ReportInputs.RUN);
    assertThat(report.getWorkload()).isEqualTo("condvar");
  }

  @Test
  void aCorruptHistogramCostsOnlyTheLatency() {
    Run.Builder run = run();
    run.getResultBuilder().setHistogram(com.google.protobuf.ByteString.copyFromUtf8("garbage!"));
    RunReport report = build(run.build(), snapshots());
    assertThat(report.hasLatency()).isFalse();
    assertThat(report.getMissingList()).anyMatch(m -> m.startsWith("latency: the histogram"));
    assertThat(report.getHost().getExits()).isEqualTo(4.0);
  }

  @Test
  void noTransactionsMeansNoPerTransactionFigures() {
    Run.Builder run = run();
    run.getResultBuilder().setTransactions(0);
    RunReport report = build(run.build(), snapshots());
    assertThat(report.hasHost()).isFalse();
    assertThat(report.hasGuest()).isFalse();
    assertThat(report.getMissingList()).contains(
        "per transaction: the run completed no transactions");
  }

  @Test
  void exitsByReasonAreNamedForTheIsa() {
    List<HostSample> samples = snapshots();
    samples.set(2, sample(SAMPLE_KIND_WINDOW_START, 3, 1_000_000_000L,
        vm(2000).addExitsByReason(hlt(100))));
    samples.set(3, sample(SAMPLE_KIND_WINDOW_END, 4, 2_000_000_000L,
        vm(6000).addExitsByReason(hlt(1100))));
    HostPerTransaction host = build(run().build(), samples).getHost();
    assertThat(host.getIsa()).isEqualTo("vmx");
    assertThat(host.getExitsByReasonList()).singleElement().satisfies(r -> {
      assertThat(r.getName()).isEqualTo("HLT");
      assertThat(r.getCount()).isEqualTo(1000);
      assertThat(r.getPerTransaction()).isEqualTo(1.0);
    });
  }

  private static ExitCount hlt(long count) {
    return ExitCount.newBuilder().setReason(12).setName("HLT").setIsa("vmx").setCount(count)
        .build();
  }
}

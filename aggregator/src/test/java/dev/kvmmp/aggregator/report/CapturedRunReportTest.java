package dev.kvmmp.aggregator.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import dev.kvmmp.proto.v1.GuestPerTransaction;
import dev.kvmmp.proto.v1.HostPerTransaction;
import dev.kvmmp.proto.v1.HostSample;
import dev.kvmmp.proto.v1.NoiseFlag;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The "run report arithmetic" validity test, on real data: one condvar run captured on
 * this machine by the fleet IT BracketingIT (a real QEMU/KVM VM followed by the real probe over
 * QMP, a guest-worker posing as its guest), the run as the coordinator stored it and the four
 * snapshots the probe took of its VM, as proto JSON under {@code report/bracketing/}. The
 * expected figures are computed by hand from the numbers in those files.
 *
 * <p>The VM there is a tiny guest that only halts (the worker runs on this machine, posing as
 * its guest): its host counters are its background activity, so the host figures are small and
 * the idle baseline explains all of them; the guest figures are the worker's own real counts.
 */
class CapturedRunReportTest {

  private static final String DIR = "/report/bracketing/";
  private static final List<String> SAMPLES =
      List.of("sample-4.json", "sample-5.json", "sample-7.json", "sample-8.json");
  private static final double TX = 26375; // run.json result.transactions

  @Test
  void hostFiguresAreTheSnapshotDeltasPerTransaction() throws IOException {
    RunReport report = report(samples());
    HostPerTransaction host = report.getHost();
    assertThat(host.getSource()).isEqualTo("qmp");
    // monotonicNs: sample-8 (WINDOW_END) 22376163062524 - sample-7 (WINDOW_START) 22375624245404
    assertThat(host.getWindowNs()).isEqualTo(538_817_120L);
    // stats.exits 8026 - 7984 = 42
    assertThat(host.getExits()).isEqualTo(42 / TX);
    // stats.halt_exits 72 - 62 = 10; stats.halt_wakeup 69 - 59 = 10
    assertThat(host.getHltExits()).isEqualTo(10 / TX);
    assertThat(host.getHaltWakeups()).isEqualTo(10 / TX);
    // stats.halt_wait_ns 6328473912 - 5253927546 = 1074546366
    assertThat(host.getWaitNs()).isEqualTo(1_074_546_366 / TX);
    // halt_attempted_poll, halt_successful_poll, halt_poll_success_ns, halt_poll_fail_ns: 0 - 0
    assertThat(host.getHaltPollsAttempted()).isZero();
    assertThat(host.getPollSuccessRate()).as("nothing attempted").isZero();
    assertThat(host.getPollNsPerSecond()).isZero();
    // msrWrites: ICR, TMICT, TSC_DEADLINE 0 - 0; ALL 31 - 31
    assertThat(List.of(host.getMsrIcr(), host.getMsrTmict(), host.getMsrTscDeadline(),
        host.getMsrOther())).containsOnly(0.0);
    // Idle baseline: exits 7955 (sample-5) - 7912 (sample-4) = 43 over
    // 22375243118775 - 22374717234093 = 525884682 ns: 81.77 exits/s. Over the host window that is
    // 43 * 538817120 / 525884682 = 44.06 exits, more than the window's 42: 0 above baseline.
    assertThat(report.getIdleBaseline().getWindowNs()).isEqualTo(525_884_682L);
    assertThat(report.getIdleBaseline().getExitsPerSecond())
        .isCloseTo(43 * 1e9 / 525_884_682, within(1e-9));
    assertThat(host.getExitsAboveBaseline()).isZero();
  }

  @Test
  void exitsByReasonThatNeverFiredAreMissingNotZero() throws IOException {
    RunReport report = report(samples());
    // Every exitsByReason count is 0 in both window snapshots (kvm:kvm_exit never fires on this
    // machine) while stats.exits rose by 42.
    assertThat(report.getHost().getExitsByReasonList()).isEmpty();
    assertThat(report.getMissingList()).contains("host: exits by reason: kvm:kvm_exit counted "
        + "none of the window's 42 exits (the tracepoint did not fire)");
  }

  @Test
  void guestFiguresAreTheWorkersCountsPerTransaction() throws IOException {
    GuestPerTransaction guest = report(samples()).getGuest();
    // events: msr:write_msr/0x6e0 7391 + msr:write_msr/0x838 0
    assertThat(guest.getTimerMsrWrites()).isEqualTo(7391 / TX);
    // msr:write_msr/0x830 10984
    assertThat(guest.getIcrWrites()).isEqualTo(10_984 / TX);
    // power:cpu_idle/haltpoll idle 5433 (POLL 0 is not a halt)
    assertThat(guest.getHltEntries()).isEqualTo(5433 / TX);
    // ipi:ipi_send_cpu 10984 + ipi:ipi_send_cpumask 0
    assertThat(guest.getIpisSent()).isEqualTo(10_984 / TX);
    // localTimerInterrupts 281, rescheduleIpis 150, callFunctionIpis 10850
    assertThat(guest.getLocalTimerInterrupts()).isEqualTo(281 / TX);
    assertThat(guest.getRescheduleIpis()).isEqualTo(150 / TX);
    assertThat(guest.getCallFunctionIpis()).isEqualTo(10_850 / TX);
    // Host ICR writes 0 (the VM is not the one sending them) / guest ICR writes 10984.
    assertThat(guest.hasIcrHostOverGuest()).isTrue();
    assertThat(guest.getIcrHostOverGuest()).isZero();
  }

  @Test
  void latencyIsTheHistogramsOverTheGuestWindow() throws IOException {
    RunReport report = report(samples());
    assertThat(report.getLatency().getTransactions()).isEqualTo(26_375L);
    // 26375 transactions / 0.500157081 s (windowNs 500157081)
    assertThat(report.getLatency().getTransactionsPerSecond())
        .isCloseTo(52_733.4, within(0.1));
    assertThat(report.getLatency().getP50Ns()).isPositive()
        .isLessThanOrEqualTo(report.getLatency().getP90Ns());
    assertThat(report.getLatency().getP99Ns()).isLessThanOrEqualTo(
        report.getLatency().getP999Ns());
  }

  @Test
  void windowsAgreeWithinTheToleranceAndNothingIsFlagged() throws IOException {
    // Host window 538.8 ms vs guest 500.2 ms: 38.7 ms apart, within 50 ms.
    RunReport report = report(samples());
    assertThat(report.getNoiseList()).isEmpty();
    RunReport strict = RunReports.build(run(), samples(), new ReportSettings(0.02,
        java.time.Duration.ofMillis(10), 0.05, 5_000), Instant.EPOCH);
    assertThat(strict.getNoiseList()).extracting(NoiseFlag::getKind)
        .containsExactly("window_mismatch");
  }

  @Test
  void shuffledAndDuplicatedSnapshotsGiveTheSameFigures() throws IOException {
    List<HostSample> samples = samples();
    List<HostSample> messy = new ArrayList<>(List.of(samples.get(3), samples.get(1),
        samples.get(3), samples.get(2), samples.get(0)));
    RunReport report = report(messy);
    assertThat(report.getHost()).isEqualTo(report(samples).getHost());
    assertThat(report.getNoiseList()).extracting(NoiseFlag::getKind)
        .containsExactly("duplicate_sample");
  }

  private static RunReport report(List<HostSample> samples) throws IOException {
    return RunReports.build(run(), samples, ReportSettings.DEFAULTS, Instant.EPOCH);
  }

  private static Run run() throws IOException {
    return read("run.json", Run.newBuilder()).build();
  }

  private static List<HostSample> samples() throws IOException {
    List<HostSample> samples = new ArrayList<>();
    for (String name : SAMPLES) {
      samples.add(read(name, HostSample.newBuilder()).build());
    }
    return samples;
  }

  private static <B extends Message.Builder> B read(String name, B builder) throws IOException {
    try (InputStream in = CapturedRunReportTest.class.getResourceAsStream(DIR + name)) {
      if (in == null) {
        throw new IOException("test resource " + DIR + name + " not found");
      }
      try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
        JsonFormat.parser().merge(reader, builder);
      }
    }
    return builder;
  }
}

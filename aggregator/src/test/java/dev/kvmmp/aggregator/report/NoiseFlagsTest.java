package dev.kvmmp.aggregator.report;

import static dev.kvmmp.aggregator.report.ReportInputs.run;
import static dev.kvmmp.aggregator.report.ReportInputs.sample;
import static dev.kvmmp.aggregator.report.ReportInputs.vm;
import static dev.kvmmp.aggregator.report.RunReportsTest.build;
import static dev.kvmmp.aggregator.report.RunReportsTest.snapshots;
import static dev.kvmmp.proto.v1.SampleKind.SAMPLE_KIND_WINDOW_END;
import static dev.kvmmp.proto.v1.SampleKind.SAMPLE_KIND_WINDOW_START;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvmmp.proto.v1.CpuDeltas;
import dev.kvmmp.proto.v1.HostSample;
import dev.kvmmp.proto.v1.NoiseFlag;
import dev.kvmmp.proto.v1.Run;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Steal, window mismatch and neighbours, against the thresholds of {@link ReportSettings}. */
class NoiseFlagsTest {

  @Test
  void stealAboveItsShareOfTheVcpuTimeIsFlagged() {
    // 2 vCPUs x 1 s: 50 ms of steal is 2.5%, above 2%; 30 ms is 1.5%.
    assertThat(kinds(withSteal(50_000_000L))).containsExactly("steal");
    assertThat(kinds(withSteal(30_000_000L))).isEmpty();
  }

  @Test
  void windowsApartBeyondTheToleranceAreFlagged() {
    // Guest window 1 s: tolerance max(50 ms, 5% = 50 ms). Host windows 1.06 s and 1.04 s.
    assertThat(kinds(build(run().build(), window(1_060_000_000L)))).containsExactly(
        "window_mismatch");
    assertThat(kinds(build(run().build(), window(1_040_000_000L)))).isEmpty();
  }

  @Test
  void busyNeighboursAreFlagged() {
    List<HostSample> samples = List.of(
        sample(SAMPLE_KIND_WINDOW_START, 3, 1_000_000_000L, vm(2000), other(0)),
        sample(SAMPLE_KIND_WINDOW_END, 4, 2_000_000_000L, vm(6000), other(6000)));
    assertThat(build(run().build(), samples).getNoiseList()).extracting(NoiseFlag::getDetail)
        .containsExactly("1 other VM(s) of host host-1 made 6000 exits/s during the window, "
            + "above 5000");
    List<HostSample> quiet = List.of(
        sample(SAMPLE_KIND_WINDOW_START, 3, 1_000_000_000L, vm(2000), other(0)),
        sample(SAMPLE_KIND_WINDOW_END, 4, 2_000_000_000L, vm(6000), other(4000)));
    assertThat(build(run().build(), quiet).getNoiseList()).isEmpty();
  }

  @Test
  void settingsOutOfRangeAreRefusedWithTheirName() {
    assertThatThrownBy(() -> new ReportSettings(1.5, Duration.ZERO, 0, 0))
        .hasMessage("stealShare 1.5 not within 0-1");
    assertThatThrownBy(() -> new ReportSettings(0, Duration.ofMillis(-1), 0, 0))
        .hasMessageContaining("windowTolerance PT-0.001S");
  }

  private static dev.kvmmp.proto.v1.VmCounters.Builder other(long exits) {
    return dev.kvmmp.proto.v1.VmCounters.newBuilder().setVmIdentity("vm-b").setVmmPid(7)
        .putStats("exits", exits);
  }

  private static List<HostSample> window(long hostWindowNs) {
    return List.of(sample(SAMPLE_KIND_WINDOW_START, 3, 1_000_000_000L, vm(2000)),
        sample(SAMPLE_KIND_WINDOW_END, 4, 1_000_000_000L + hostWindowNs, vm(6000)));
  }

  private static dev.kvmmp.proto.v1.RunReport withSteal(long stealNs) {
    Run.Builder run = run();
    run.getResultBuilder().getGuestDeltasBuilder().setStealNs(stealNs)
        .addPerCpu(CpuDeltas.newBuilder().setCpu(0)).addPerCpu(CpuDeltas.newBuilder().setCpu(1));
    return build(run.build(), snapshots());
  }

  private static List<String> kinds(dev.kvmmp.proto.v1.RunReport report) {
    return report.getNoiseList().stream().map(NoiseFlag::getKind).toList();
  }
}

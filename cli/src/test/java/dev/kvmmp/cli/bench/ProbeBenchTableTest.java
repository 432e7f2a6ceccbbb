package dev.kvmmp.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProbeBenchTableTest {

  private static final long SECOND = 1_000_000_000L;

  /** A run of 30 samples at 1 Hz that used {@code cpuPercent} of a core. */
  private static ProbeBenchTable.Row run(int vms, double cpuPercent, long maxSampleMillis) {
    List<Long> samples = List.of(2_000_000L, 3_000_000L, maxSampleMillis * 1_000_000L);
    long window = 30 * SECOND;
    return new ProbeBenchTable.Row("simulated", vms, Optional.of(new ProbeRun(vms, samples,
        window, (long) (window * cpuPercent / 100), 0, 0, 0, vms, 0, "", 1000)), "");
  }

  @Test
  void judgesTheGoalOnTheMedianOfTheRunsWithFiftyVms() {
    List<ProbeBenchTable.Row> rows = List.of(run(1, 5.0, 1), run(50, 0.8, 9), run(50, 2.5, 30),
        run(50, 0.9, 12));

    assertThat(ProbeBenchTable.verdict(rows, Duration.ofSeconds(1))).hasValueSatisfying(v ->
        assertThat(v).contains(": met (median 0.90% over 3 run(s) with 50 VMs, 0.80-2.50%)")
            .contains("at most 30.0 ms"));
    assertThat(ProbeBenchTable.verdict(List.of(run(50, 1.2, 9)), Duration.ofSeconds(1)))
        .hasValueSatisfying(v -> assertThat(v).contains("NOT met"));
  }

  @Test
  void judgesNothingAtAnotherIntervalOrWithFewerVms() {
    assertThat(ProbeBenchTable.verdict(List.of(run(50, 0.5, 9)), Duration.ofMillis(500)))
        .isEmpty();
    assertThat(ProbeBenchTable.verdict(List.of(run(10, 0.5, 9)), Duration.ofSeconds(1)))
        .isEmpty();
  }

  @Test
  void printsARowPerRunAndWhyARowHasNone() {
    StringWriter text = new StringWriter();
    ProbeBenchTable.print(List.of(run(50, 0.75, 9), new ProbeBenchTable.Row("qemu (real)", 1,
        Optional.empty(), "skipped: no /dev/kvm")), Duration.ofSeconds(1), Duration.ofSeconds(30),
        new PrintWriter(text, true));

    assertThat(text.toString())
        .containsPattern("simulated +50 +3 +3\\.00 +9\\.00 +9\\.00 +0\\.75")
        .contains("qemu (real)         1  skipped: no /dev/kvm")
        .contains("kvm_stat");
  }
}

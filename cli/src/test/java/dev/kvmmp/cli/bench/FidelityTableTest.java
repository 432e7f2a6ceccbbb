package dev.kvmmp.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FidelityTableTest {

  private static final FidelityRow TCP_RR = new FidelityRow("tcp_rr", BenchPlacement.SAME_CPU,
      "sockperf", "0", Statistic.P50, List.of(
          new TrialPair(1, Figures.of(5.0, 7.0, 5.5), Figures.of(4.0, 5.0, 4.2)),
          new TrialPair(2, Figures.of(6.0, 8.0, 6.5), Figures.of(4.0, 6.0, 4.2)),
          new TrialPair(3, Figures.of(4.4, 9.0, 4.5), Figures.of(4.0, 5.5, 4.2))),
      Optional.empty(), false);
  private static final FidelityRow PIPE = new FidelityRow("pipe", BenchPlacement.CROSS_CPU,
      "perf bench", "0,1 (not pinned per side)", Statistic.MEAN, List.of(
          new TrialPair(1, Figures.of(30, 50, 36), Figures.meanOnly(34.5))),
      Optional.empty(), false);
  private static final FidelityRow CONDVAR = new FidelityRow("condvar", BenchPlacement.SAME_CPU,
      "ptsematest", "0", Statistic.MEAN, List.of(),
      Optional.of("kvmmp side not available in this build"), false);

  @Test
  void printsMediansRatiosAndProblemsAligned() {
    StringWriter out = new StringWriter();

    FidelityTable.print(List.of(TCP_RR, PIPE, CONDVAR), List.of("pipe: a note."),
        new PrintWriter(out));

    assertThat(out.toString().lines().toList()).containsExactly(
        "pair     placement  stat   kvmmp us (stat/p99) peer        peer placement                         "
            + "   peer us (stat/p99)   ratio min-max     trials",
        "tcp_rr   same-cpu   p50            5.00 / 8.00 sockperf    0                                      "
            + "          4.00 / 5.50    1.25 1.10-1.50        3",
        "pipe     cross-cpu  mean         36.00 / 50.00 perf bench  0,1 (not pinned per side)              "
            + "            34.50 / -    1.04 1.04-1.04        1",
        "condvar  same-cpu   mean  kvmmp side not available in this build",
        "",
        "ratio: kvmmp/peer of the stat, median over trials; min-max over trials. "
            + "Figures are medians over trials, round trips in us.",
        "pipe: a note.");
  }
}

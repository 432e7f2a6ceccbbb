package dev.kvmmp.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FidelityCsvTest {

  @Test
  void writesOneLinePerTrialLeavingUnreportedFiguresEmpty() throws Exception {
    FidelityRow pipe = new FidelityRow("pipe", BenchPlacement.CROSS_CPU, "perf bench",
        "0,1 (not pinned per side)", Statistic.MEAN, List.of(
            new TrialPair(1, Figures.of(30, 50, 36), Figures.meanOnly(34.5)),
            new TrialPair(2, Figures.of(31, 52, 37), Figures.meanOnly(37))),
        Optional.empty(), false);
    FidelityRow unavailable = new FidelityRow("condvar", BenchPlacement.SAME_CPU, "ptsematest",
        "0", Statistic.MEAN, List.of(), Optional.of("not available"), false);
    StringWriter out = new StringWriter();

    FidelityCsv.write(List.of(pipe, unavailable), out);

    assertThat(out.toString().lines().toList()).containsExactly(
        FidelityCsv.HEADER,
        "pipe,cross-cpu,1,mean,30.000,50.000,36.000,perf bench,\"0,1 (not pinned per side)\","
            + ",,34.500,1.0435",
        "pipe,cross-cpu,2,mean,31.000,52.000,37.000,perf bench,\"0,1 (not pinned per side)\","
            + ",,37.000,1.0000");
  }
}

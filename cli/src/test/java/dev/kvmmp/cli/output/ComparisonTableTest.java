package dev.kvmmp.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvmmp.proto.v1.Effect;
import dev.kvmmp.proto.v1.ExperimentComparison;
import dev.kvmmp.proto.v1.FleetComparison;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ComparisonTableTest {

  @Test
  void printsEachFleetAgainstItsBaselineWithUnknownsAsDashes() {
    ExperimentComparison comparison = ExperimentComparison.newBuilder()
        .setExperimentId("e-1")
        .addComparisons(FleetComparison.newBuilder()
            .setWorkload("tcp_rr").setBaselineFleet("poll-off").setFleet("poll-on")
            .setRuns(6).setBaselineRuns(6)
            .setP50(Effect.newBuilder().setRatio(0.155).setCiLow(0.147).setCiHigh(0.162))
            .setRankTestPValue(0.00395).setPollNsPerTransaction(Double.NaN)
            .setVerdict("poll-on faster by 85% (CI 84-85%)"))
        .addComparisons(FleetComparison.newBuilder()
            .setWorkload("condvar").setBaselineFleet("poll-off").setFleet("poll-on")
            .setRuns(2).setBaselineRuns(2).setRankTestPValue(Double.NaN)
            .setPollNsPerTransaction(Double.NaN)
            .setVerdict("not enough runs (need >= 5 per fleet)"))
        .build();
    StringWriter out = new StringWriter();

    ComparisonTable.print(comparison, new PrintWriter(out, true));

    assertThat(out.toString())
        .contains("fleet comparison of e-1")
        .containsPattern("(?m)^tcp_rr +poll-on vs poll-off +6 +6 +0\\.155 \\[0\\.147, 0\\.162\\] +- +"
            + "0\\.00395 +- +poll-on faster by 85% \\(CI 84-85%\\)$")
        .containsPattern("(?m)^condvar +poll-on vs poll-off +2 +2 +- +- +- +- +not enough runs");
  }
}

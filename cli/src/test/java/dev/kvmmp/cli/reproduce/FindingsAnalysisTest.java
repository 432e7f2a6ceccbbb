package dev.kvmmp.cli.reproduce;

import static dev.kvmmp.cli.reproduce.SyntheticRuns.guest;
import static dev.kvmmp.cli.reproduce.SyntheticRuns.host;
import static dev.kvmmp.proto.v1.Placement.PLACEMENT_CROSS_CPU;
import static dev.kvmmp.proto.v1.Placement.PLACEMENT_SAME_CPU;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kvmmp.proto.v1.Effect;
import dev.kvmmp.proto.v1.ExperimentComparison;
import dev.kvmmp.proto.v1.ExperimentSpec;
import dev.kvmmp.proto.v1.FleetComparison;
import dev.kvmmp.proto.v1.GuestPerTransaction;
import dev.kvmmp.proto.v1.TcpRr;
import dev.kvmmp.proto.v1.Workload;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FindingsAnalysisTest {

  private static final String DEFAULT = "default";

  @Test
  void crossVcpuSlowerWithMoreIpisAndHaltsReproducesF1AndF2() {
    SyntheticRuns runs = everyKind(60, guest(1.4, 2.0, 0.9));
    ReproduceResults results = analyze(runs.outcome(TalkSeed.PLACEMENT,
        ExperimentSpec.getDefaultInstance()));

    assertThat(rows(results, "F1")).hasSize(3)
        .allSatisfy(row -> assertThat(row.verdict()).isEqualTo(Verdict.REPRODUCED))
        .allSatisfy(row -> assertThat(row.runs()).isEqualTo(10));
    assertThat(rows(results, "F1").get(0).here()).contains("(15.");
    assertThat(rows(results, "F2")).hasSize(3)
        .allSatisfy(row -> assertThat(row.verdict()).isEqualTo(Verdict.REPRODUCED));
    assertThat(results.cdfs()).hasSize(6);
    assertThat(results.cdfs().get(0).points()).isNotEmpty()
        .last().satisfies(p -> assertThat(p.fraction()).isEqualTo(1.0));
    assertThat(results.exits()).hasSize(6).first()
        .satisfies(bar -> assertThat(bar.perTransaction()).containsOnlyKeys("timer MSR writes",
            "ICR writes", "HLT entries"));
  }

  @Test
  void timerWritesAreALowerBoundWhereTheKernelTracedTooFewIdleEntries() {
    SyntheticRuns runs = everyKind(60, guest(1.4, 2.0, 1.9));
    String timerRow = "tcp_rr timer MSR writes";
    assertThat(row(analyze(runs.outcome(TalkSeed.PLACEMENT, ExperimentSpec.getDefaultInstance())),
        "F2", timerRow).reason()).doesNotContain("lower bound");

    runs.noted("power:cpu_idle fired for 950 of the 1990 idle entries cpuidle counted (48%): ...");
    FindingRow timer = row(analyze(runs.outcome(TalkSeed.PLACEMENT,
        ExperimentSpec.getDefaultInstance())), "F2", timerRow);

    assertThat(timer.verdict()).isEqualTo(Verdict.REPRODUCED);
    assertThat(timer.reason()).endsWith("; a lower bound: this kernel does not trace every idle "
        + "entry, and the timer is re-armed in the idle path (the runs' notes say how many it "
        + "traced)");
  }

  @Test
  void guestsThatPollBeforeHaltingAreNamedAsTheReasonWakeUpsCostLittle() {
    SyntheticRuns runs = everyKind(10, guest(0.02, 0.03, 0));
    runs.guestHaltPollNs("0");
    assertThat(analyze(runs.outcome(TalkSeed.PLACEMENT, ExperimentSpec.getDefaultInstance()))
        .rows()).noneSatisfy(row -> assertThat(row.reason()).contains("poll before they halt"));

    runs.guestHaltPollNs("200000");
    ReproduceResults results = analyze(runs.outcome(TalkSeed.PLACEMENT,
        ExperimentSpec.getDefaultInstance()));

    String polling = "; the guests poll before they halt (guest_halt_poll_ns 200000), so a "
        + "wake-up that comes soon enough needs no halt and no IPI: the talk's guests did not "
        + "poll (F3(a) measures both)";
    assertThat(rows(results, "F1")).hasSize(3)
        .allSatisfy(row -> assertThat(row.reason()).endsWith(polling));
    FindingRow icr = row(results, "F2", "tcp_rr ICR writes");
    assertThat(icr.verdict()).isEqualTo(Verdict.NOT_REPRODUCED);
    assertThat(icr.reason()).endsWith(polling);
  }

  @Test
  void noDifferenceIsNotReproducedAndTooFewRunsAreNotMeasured() {
    SyntheticRuns runs = new SyntheticRuns()
        .add(5, "tcp_rr", PLACEMENT_SAME_CPU, DEFAULT, 50, guest(0, 0.05, 0), null)
        .add(5, "tcp_rr", PLACEMENT_CROSS_CPU, DEFAULT, 50, guest(0, 0.06, 0), null)
        .add(3, "memcache", PLACEMENT_SAME_CPU, DEFAULT, 5, null, null)
        .failed("memcache", PLACEMENT_SAME_CPU, DEFAULT)
        .add(5, "memcache", PLACEMENT_CROSS_CPU, DEFAULT, 50, null, null);
    ReproduceResults results = analyze(runs.outcome(TalkSeed.PLACEMENT,
        ExperimentSpec.getDefaultInstance()));

    FindingRow tcpRr = rows(results, "F1").get(0);
    assertThat(tcpRr.verdict()).isEqualTo(Verdict.NOT_REPRODUCED);
    assertThat(tcpRr.reason()).contains("spans 1");
    FindingRow memcache = rows(results, "F1").get(1);
    assertThat(memcache.verdict()).isEqualTo(Verdict.NOT_MEASURED);
    assertThat(memcache.reason()).contains("only 3 same-vCPU and 5 cross-vCPU");
    // 0.06 against 0.05 ICR writes per transaction is not "more".
    assertThat(rows(results, "F2").get(0).verdict()).isEqualTo(Verdict.NOT_REPRODUCED);
  }

  @Test
  void pollingFasterReproducesF3WithItsCost() {
    SyntheticRuns guestRuns = new SyntheticRuns();
    for (String kind : PlacementFindings.KINDS) {
      guestRuns.add(5, kind, PLACEMENT_CROSS_CPU, "guest-poll-0", 60, null, null)
          .add(5, kind, PLACEMENT_CROSS_CPU, "guest-poll-200us", 10, null, null);
    }
    SyntheticRuns hostRuns = new SyntheticRuns()
        .add(5, "ipi_halt", PLACEMENT_CROSS_CPU, "host-poll-0", 100, null, host(4, 2, 2, 0))
        .add(5, "ipi_halt", PLACEMENT_CROSS_CPU, "host-poll-200us", 11, null,
            host(4, 2, 2, 9_000))
        .add(5, "ipi_halt", PLACEMENT_SAME_CPU, "host-poll-0", 30, null, host(4, 2, 2, 0))
        .add(5, "ipi_halt", PLACEMENT_SAME_CPU, "host-poll-200us", 30, null,
            host(4, 2, 2, 20_000));
    ReproduceResults results = analyze(
        guestRuns.outcome(TalkSeed.GUEST_POLLING, SyntheticRuns.guestPollingSpec()),
        hostRuns.outcome(TalkSeed.HOST_POLLING, SyntheticRuns.hostPollingSpec()));

    List<FindingRow> f3 = rows(results, "F3");
    assertThat(f3).hasSize(5);
    assertThat(f3.subList(0, 4))
        .allSatisfy(row -> assertThat(row.verdict()).isEqualTo(Verdict.REPRODUCED));
    assertThat(f3.get(3).here()).contains("polls 9.00 us/trip");
    assertThat(f3.get(4).verdict()).isEqualTo(Verdict.CONTRAST);
    assertThat(rows(results, "F2")).hasSize(2)
        .allSatisfy(row -> assertThat(row.verdict()).isEqualTo(Verdict.REPRODUCED));
    assertThat(results.polling()).hasSize(10);
    assertThat(results.exits()).filteredOn(b -> b.plot().equals(HostPollingFindings.EXIT_PLOT))
        .hasSize(4).first().satisfies(bar -> assertThat(bar.perTransaction())
            .containsEntry("HLT exits", 2.0).containsEntry("other exits", 2.0)
            .doesNotContainKey("ICR MSR writes"));
  }

  @Test
  void fleetComparisonsAreTheAggregatorsWhenItCountedTheSameRuns() {
    ExperimentSpec spec = SyntheticRuns.guestPollingSpec().toBuilder()
        .addWorkloads(Workload.newBuilder().setTcpRr(TcpRr.getDefaultInstance())).build();
    SyntheticRuns runs = new SyntheticRuns()
        .add(5, "tcp_rr", PLACEMENT_CROSS_CPU, "guest-poll-0", 60, null, null)
        .add(5, "tcp_rr", PLACEMENT_CROSS_CPU, "guest-poll-200us", 10, null, null);
    Effect aggregated = Effect.newBuilder().setBaselineMedian(60_000).setMedian(10_000)
        .setRatio(0.17).setCiLow(0.1).setCiHigh(0.3).build();
    ExperimentComparison comparison = ExperimentComparison.newBuilder()
        .addComparisons(FleetComparison.newBuilder().setWorkloadIndex(0)
            .setBaselineFleet("guest-poll-0").setFleet("guest-poll-200us").setBaselineRuns(5)
            .setRuns(5).setP50(aggregated))
        .build();

    FindingRow fromAggregator = rows(analyze(runs.outcome(TalkSeed.GUEST_POLLING, spec,
        Optional.of(comparison))), "F3").get(0);
    FindingRow comparedHere = rows(analyze(runs.outcome(TalkSeed.GUEST_POLLING, spec,
        Optional.empty())), "F3").get(0);

    assertThat(fromAggregator.interval()).isEqualTo("[0.100x, 0.300x]");
    assertThat(fromAggregator.here()).isEqualTo("60.0 -> 10.0 us (0.170x)");
    assertThat(fromAggregator.reason()).doesNotContain("compared here");
    assertThat(comparedHere.interval()).isNotEqualTo("[0.100x, 0.300x]");
    assertThat(comparedHere.reason()).contains("compared here");
    assertThat(comparedHere.verdict()).isEqualTo(Verdict.REPRODUCED);
  }

  @Test
  void seedsThatCannotRunHereSayWhyAndInterruptedOnesSaySo() {
    SeedOutcome placement = new SyntheticRuns()
        .add(5, "tcp_rr", PLACEMENT_SAME_CPU, DEFAULT, 4, guest(0, 0, 0), null)
        .add(5, "tcp_rr", PLACEMENT_CROSS_CPU, DEFAULT, 60, guest(1.4, 2.0, 0.9), null)
        .outcome(TalkSeed.PLACEMENT, ExperimentSpec.getDefaultInstance());
    ReproduceResults results = analyze(placement,
        SeedOutcome.notRun(TalkSeed.GUEST_POLLING, SyntheticRuns.guestPollingSpec(),
            "the session was interrupted before it"),
        SeedOutcome.notTestable(TalkSeed.HOST_POLLING, SyntheticRuns.hostPollingSpec(),
            "no host-probe to run the micro-VM: not root"),
        SeedOutcome.notTestable(TalkSeed.TICK_MODE, SyntheticRuns.tickSpec(),
            "all workers run the same tick mode (idle-tickless)"));

    List<FindingRow> f3 = rows(results, "F3");
    assertThat(f3.subList(0, 3)).allSatisfy(row -> {
      assertThat(row.verdict()).isEqualTo(Verdict.NOT_MEASURED);
      assertThat(row.reason()).contains("interrupted");
    });
    assertThat(f3.subList(3, 5)).allSatisfy(row -> {
      assertThat(row.verdict()).isEqualTo(Verdict.NOT_TESTABLE);
      assertThat(row.reason()).isEqualTo("no host-probe to run the micro-VM: not root");
    });
    FindingRow f4 = rows(results, "F4").get(0);
    assertThat(f4.verdict()).isEqualTo(Verdict.NOT_TESTABLE);
    assertThat(f4.reason()).isEqualTo("all workers run the same tick mode (idle-tickless)");
    assertThat(f4.here()).contains("timer writes/tx 1.40 cross, 0.00 same");
  }

  /**
   * Five runs of every workload on one vCPU (4 us, no exits) and five across vCPUs
   * ({@code crossP50Us}, {@code cross} per transaction).
   */
  private static SyntheticRuns everyKind(double crossP50Us, GuestPerTransaction cross) {
    SyntheticRuns runs = new SyntheticRuns();
    for (String kind : PlacementFindings.KINDS) {
      runs.add(5, kind, PLACEMENT_SAME_CPU, DEFAULT, 4, guest(0, 0, 0), null)
          .add(5, kind, PLACEMENT_CROSS_CPU, DEFAULT, crossP50Us, cross, null);
    }
    return runs;
  }

  private static ReproduceResults analyze(SeedOutcome... outcomes) {
    return FindingsAnalysis.analyze(List.of(outcomes), "test machine", Instant.EPOCH,
        Duration.ofMinutes(1), false, true, List.of());
  }

  private static List<FindingRow> rows(ReproduceResults results, String finding) {
    return results.rows().stream().filter(r -> r.finding().equals(finding)).toList();
  }

  private static FindingRow row(ReproduceResults results, String finding, String subject) {
    return rows(results, finding).stream().filter(r -> r.subject().startsWith(subject))
        .findFirst().orElseThrow();
  }
}

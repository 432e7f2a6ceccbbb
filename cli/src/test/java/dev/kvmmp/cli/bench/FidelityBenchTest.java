package dev.kvmmp.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvmmp.proto.v1.Condvar;
import dev.kvmmp.proto.v1.Placement;
import dev.kvmmp.proto.v1.TcpRr;
import dev.kvmmp.proto.v1.Workload;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FidelityBenchTest {

  private final List<String> calls = new ArrayList<>();
  private final StringWriter err = new StringWriter();

  /** A kvmmp side that records its runs and always measures 12 us (p50) and 13 us (mean). */
  private final KvmmpSide kvmmp = new KvmmpSide() {
    @Override
    public Optional<String> unavailableReason(Workload workload) {
      return Optional.empty();
    }

    @Override
    public Figures run(String runId, Workload workload, Duration duration) {
      calls.add("kvmmp " + runId + " " + workload.getPlacement() + " " + workload.getCpusList());
      return Figures.of(12, 20, 13);
    }
  };

  /** A peer that records its runs, measures 10 us, or fails when told to. */
  private final class FakePeer implements NativePeer {
    private final String name;
    private final Optional<String> failure;

    FakePeer(String name, Optional<String> failure) {
      this.name = name;
      this.failure = failure;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Optional<String> unavailableReason() {
      return Optional.empty();
    }

    @Override
    public String placementLabel(BenchPlacement placement) {
      return placement.cpuList();
    }

    @Override
    public Figures run(BenchPlacement placement, Duration duration) throws TrialException {
      calls.add(name + " " + placement.label());
      if (failure.isPresent()) {
        throw new TrialException(failure.get());
      }
      return Figures.of(10, 15, 10);
    }
  }

  private static final Workload TCP_RR = Workload.newBuilder().setName("tcp_rr")
      .setTcpRr(TcpRr.getDefaultInstance()).build();
  private static final Workload CONDVAR = Workload.newBuilder().setName("condvar")
      .setCondvar(Condvar.getDefaultInstance()).build();

  private FidelityBench bench(KvmmpSide side, int repetitions) {
    return new FidelityBench(side, repetitions, Duration.ofSeconds(1),
        new Progress(new PrintWriter(err, true), () -> 0L));
  }

  private BenchPair pair(String name, Workload workload, NativePeer peer) {
    return new BenchPair(name, workload, peer, Statistic.P50, Optional.empty());
  }

  @Test
  void alternatesKvmmpAndPeerTrialsAtEachPlacement() {
    List<FidelityRow> rows = bench(kvmmp, 2)
        .run(List.of(pair("tcp_rr", TCP_RR, new FakePeer("peer", Optional.empty()))));

    assertThat(calls).containsExactly(
        "kvmmp bench-tcp_rr-same-cpu-1 PLACEMENT_SAME_CPU [0]", "peer same-cpu",
        "kvmmp bench-tcp_rr-same-cpu-2 PLACEMENT_SAME_CPU [0]", "peer same-cpu",
        "kvmmp bench-tcp_rr-cross-cpu-1 PLACEMENT_CROSS_CPU [0, 1]", "peer cross-cpu",
        "kvmmp bench-tcp_rr-cross-cpu-2 PLACEMENT_CROSS_CPU [0, 1]", "peer cross-cpu");
    assertThat(rows).hasSize(2).allMatch(FidelityRow::complete);
    assertThat(rows.get(0).ratios()).isEqualTo(new RatioSummary(1.2, 1.2, 1.2, 2));
    assertThat(err.toString()).contains("fidelity: trial 1/8, 0:00 elapsed: tcp_rr same-cpu, "
        + "kvmmp, repetition 1/2");
  }

  @Test
  void aMissingPeerBinaryMakesItsRowsUnavailableAndTheOthersStillRun() {
    // An empty search path: sockperf cannot be found, as on a machine without the package.
    NativePeer sockperf = new SockperfPeer(new Executables(""), new ChildProcesses());

    List<FidelityRow> rows = bench(kvmmp, 1).run(List.of(
        pair("tcp_rr", TCP_RR, sockperf),
        pair("pipe", CONDVAR, new FakePeer("perf bench", Optional.empty()))));

    assertThat(rows).extracting(FidelityRow::pair, FidelityRow::complete, FidelityRow::failed)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("tcp_rr", false, false),
            org.assertj.core.groups.Tuple.tuple("tcp_rr", false, false),
            org.assertj.core.groups.Tuple.tuple("pipe", true, false),
            org.assertj.core.groups.Tuple.tuple("pipe", true, false));
    assertThat(rows.get(0).problem()).contains("sockperf not found on PATH; install the Debian "
        + "package sockperf (apt-get install sockperf)");
    assertThat(calls).noneMatch(c -> c.contains("tcp_rr"));
  }

  @Test
  void aWorkloadMissingFromTheBuildMakesItsRowsUnavailable() {
    try (InProcessKvmmpSide noWorkloads = new InProcessKvmmpSide(List.of())) {
      List<FidelityRow> rows = bench(noWorkloads, 1)
          .run(List.of(pair("condvar", CONDVAR, new FakePeer("ptsematest", Optional.empty()))));

      assertThat(rows).extracting(r -> r.problem().orElseThrow())
          .containsOnly("kvmmp side not available in this build");
      assertThat(calls).isEmpty();
    }
  }

  @Test
  void aFailingTrialFailsItsRowOnlyAndKeepsTheProgressCountTrue() {
    List<FidelityRow> rows = bench(kvmmp, 3).run(List.of(
        pair("tcp_rr", TCP_RR, new FakePeer("sockperf", Optional.of("server died")))));

    assertThat(rows).allMatch(FidelityRow::failed);
    assertThat(rows.get(0).problem()).contains("failed: server died");
    // Each row stops at its first failure: one kvmmp and one peer trial per placement.
    assertThat(calls).hasSize(4);
    assertThat(err.toString()).contains("trial 7/12").doesNotContain("trial 3/12");
  }

  @Test
  void placesTheWorkloadOnTheRowsVcpus() {
    BenchPair pair = pair("tcp_rr", TCP_RR.toBuilder().addCpus(7).build(),
        new FakePeer("p", Optional.empty()));

    Workload placed = pair.placed(BenchPlacement.CROSS_CPU);

    assertThat(placed.getPlacement()).isEqualTo(Placement.PLACEMENT_CROSS_CPU);
    assertThat(placed.getCpusList()).containsExactly(0, 1);
  }
}

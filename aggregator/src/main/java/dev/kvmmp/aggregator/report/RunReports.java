package dev.kvmmp.aggregator.report;

import com.google.protobuf.Timestamp;
import dev.kvmmp.proto.v1.HostSample;
import dev.kvmmp.proto.v1.IdleBaseline;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunReport;
import dev.kvmmp.proto.v1.RunResult;
import dev.kvmmp.proto.v1.RunState;
import dev.kvmmp.proto.v1.SampleKind;
import dev.kvmmp.proto.v1.Workload;
import dev.kvmmp.spec.WorkloadKinds;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Builds a run's report from the run and the host snapshots tagged with its id: pure functions,
 * no Kafka. Whatever the input lacks or gets wrong (no snapshots, duplicated or misordered ones,
 * counters that went backwards, a corrupt histogram) is named in the report's {@code missing}
 * and {@code noise}; the builder never throws on bad data and never gives a negative figure.
 *
 * <p>A run that did not succeed (FAILED, CANCELLED, or not finished) gets a report with its
 * state and reason in {@code missing} and no latency nor per-transaction figures: it has no
 * result to divide by. Its idle baseline is still shown when its snapshots have one.
 */
public final class RunReports {

  private RunReports() {}

  /**
   * The report of {@code run}.
   *
   * @param snapshots the host samples tagged with the run's id, in any order, possibly duplicated
   *     or incomplete; others are ignored
   * @param now when the report is made ({@code reported_at})
   */
  public static RunReport build(Run run, List<HostSample> snapshots, ReportSettings settings,
      Instant now) {
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(now, "now");
    Findings findings = new Findings();
    RunReport.Builder report = header(run, now);
    Bracket bracket = Bracket.select(run.getId(),
        snapshots == null ? List.of() : snapshots, findings);
    String vm = run.getVmIdentity();
    // A micro-VM's host counters come with its result: the probe that ran the VM counted them.
    boolean microVm = WorkloadKinds.isHost(run.getWorkload());
    Optional<IdleBaseline> baseline = microVm ? Optional.empty()
        : idleBaseline(run, bracket, findings);
    baseline.ifPresent(report::setIdleBaseline);
    if (run.getState() != RunState.RUN_STATE_SUCCEEDED) {
      findings.missing("latency: the run is " + stateName(run.getState())
          + (run.getReason().isEmpty() ? "" : " (" + run.getReason() + ")")
          + ": no result, no per-transaction figures");
      return finish(report, findings);
    }
    RunResult result = run.getResult();
    LatencySummaries.of(result, findings).ifPresent(report::setLatency);
    Optional<Bracket.Pair> window = bracket.isEmpty() || vm.isEmpty() ? Optional.empty()
        : bracket.pair(SampleKind.SAMPLE_KIND_WINDOW_START, SampleKind.SAMPLE_KIND_WINDOW_END,
            "host", findings);
    NoiseChecks checks = new NoiseChecks(settings, findings);
    if (result.hasGuestDeltas()) {
      checks.steal(result.getGuestDeltas(), result.getWindowNs());
    }
    window.ifPresent(w -> {
      if (report.getHostId().isEmpty()) {
        report.setHostId(w.end().getHostId());
      }
      checks.window(w.windowNs(), result.getWindowNs());
      checks.neighbours(w, vm);
    });
    long transactions = result.getTransactions();
    if (transactions <= 0) {
      findings.missing("per transaction: the run completed no transactions");
      return finish(report, findings);
    }
    OptionalLong hostIcrWrites = OptionalLong.empty();
    Optional<HostFigures.Host> host = microVm
        ? MicroVmCounts.of(result, findings).map(counts -> HostFigures.of(counts,
            result.getWindowNs(), transactions, Optional.empty(), findings))
        : window.flatMap(w -> CounterDeltas.of(w, vm, "host", findings)
            .map(deltas -> HostFigures.of(deltas, w.windowNs(), transactions, baseline,
                findings)));
    if (host.isPresent()) {
      report.setHost(host.get().perTransaction());
      hostIcrWrites = host.get().icrWrites();
    }
    if (result.hasGuestDeltas()) {
      report.setGuest(GuestFigures.of(result.getGuestDeltas(), transactions, hostIcrWrites,
          findings));
    } else {
      findings.missing("guest: the result has no guest deltas"
          + (microVm ? " (a host workload runs no guest)" : ""));
    }
    return finish(report, findings);
  }

  /** The baseline of a guest's run, from its snapshots; or why there is none. */
  private static Optional<IdleBaseline> idleBaseline(Run run, Bracket bracket,
      Findings findings) {
    if (bracket.isEmpty()) {
      findings.missing("host: no snapshots of this run" + (run.getBracketed() ? ""
          : " (it was not bracketed: no probe on its host knows its VM)"));
      return Optional.empty();
    }
    if (run.getVmIdentity().isEmpty()) {
      findings.missing("host: the run names no VM: its snapshots cannot be matched to one");
      return Optional.empty();
    }
    return IdleBaselines.of(bracket, run.getVmIdentity(), findings);
  }

  private static RunReport.Builder header(Run run, Instant now) {
    return RunReport.newBuilder()
        .setRunId(run.getId())
        .setExperimentId(run.getExperimentId())
        .setFleet(run.getFleet())
        .setWorkloadIndex(run.getWorkloadIndex())
        .setWorkload(workloadName(run))
        .setPlacement(run.getWorkload().getPlacement())
        .setRepetition(run.getRepetition())
        .setAttempt(run.getAttempt())
        .setWorkerId(run.getWorkerId())
        .setHostId(run.getHostId())
        .setVmIdentity(run.getVmIdentity())
        .setReportedAt(Timestamp.newBuilder().setSeconds(now.getEpochSecond())
            .setNanos(now.getNano()));
  }

  /** The workload's label, or its kind's name ("tcp_rr") when it has none. */
  private static String workloadName(Run run) {
    if (!run.getWorkload().getName().isEmpty()) {
      return run.getWorkload().getName();
    }
    return run.getWorkload().getKindCase() == Workload.KindCase.KIND_NOT_SET
        ? "" : WorkloadKinds.of(run.getWorkload());
  }

  private static String stateName(RunState state) {
    return state.name().substring("RUN_STATE_".length());
  }

  private static RunReport finish(RunReport.Builder report, Findings findings) {
    return report.addAllMissing(findings.missing()).addAllNoise(findings.noise()).build();
  }
}

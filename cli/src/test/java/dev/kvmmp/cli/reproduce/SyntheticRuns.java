package dev.kvmmp.cli.reproduce;

import com.google.protobuf.ByteString;
import dev.kvmmp.proto.v1.Condvar;
import dev.kvmmp.proto.v1.ExperimentComparison;
import dev.kvmmp.proto.v1.ExperimentSpec;
import dev.kvmmp.proto.v1.Fleet;
import dev.kvmmp.proto.v1.GuestFacts;
import dev.kvmmp.proto.v1.GuestPerTransaction;
import dev.kvmmp.proto.v1.GuestProfile;
import dev.kvmmp.proto.v1.HostPerTransaction;
import dev.kvmmp.proto.v1.IpiHalt;
import dev.kvmmp.proto.v1.KnobValue;
import dev.kvmmp.proto.v1.LatencySummary;
import dev.kvmmp.proto.v1.Memcache;
import dev.kvmmp.proto.v1.MicroVm;
import dev.kvmmp.proto.v1.Placement;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunReport;
import dev.kvmmp.proto.v1.RunResult;
import dev.kvmmp.proto.v1.RunState;
import dev.kvmmp.proto.v1.TcpRr;
import dev.kvmmp.proto.v1.Workload;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.HdrHistogram.Histogram;

/**
 * Builds seed outcomes of made-up runs for the analysis' unit tests: each run's p50 drawn
 * around a given latency, with the guest and host counts given.
 */
final class SyntheticRuns {

  private final SplittableRandom random = new SplittableRandom(42);
  private final List<Run> runs = new ArrayList<>();
  private final Map<String, RunReport> reports = new HashMap<>();

  /** Adds {@code count} succeeded runs of one group, p50 around {@code p50Us} (+-5%). */
  SyntheticRuns add(int count, String kind, Placement placement, String fleet, double p50Us,
      GuestPerTransaction guest, HostPerTransaction host) {
    for (int i = 0; i < count; i++) {
      String id = "r" + runs.size();
      double p50Ns = p50Us * 1_000 * (0.95 + 0.1 * random.nextDouble());
      Histogram histogram = new Histogram(3);
      for (int t = 0; t < 100; t++) {
        histogram.recordValue((long) (p50Ns * (0.8 + 0.4 * t / 100.0)));
      }
      ByteBuffer bytes = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
      int length = histogram.encodeIntoCompressedByteBuffer(bytes);
      runs.add(Run.newBuilder().setId(id).setFleet(fleet).setState(RunState.RUN_STATE_SUCCEEDED)
          .setWorkload(workload(kind, placement))
          .setResult(RunResult.newBuilder().setHistogram(ByteString.copyFrom(bytes.array(), 0,
              length)))
          .build());
      RunReport.Builder report = RunReport.newBuilder().setRunId(id).setFleet(fleet)
          .setWorkerId("local-1").setLatency(LatencySummary.newBuilder().setTransactions(100)
              .setP50Ns(p50Ns).setP99Ns(p50Ns * 2).setMeanNs(p50Ns * 1.1));
      if (guest != null) {
        report.setGuest(guest);
      }
      if (host != null) {
        report.setHost(host);
      }
      reports.put(id, report.build());
    }
    return this;
  }

  /** Every run added so far carries {@code note} from its worker. */
  SyntheticRuns noted(String note) {
    runs.replaceAll(run -> run.toBuilder().setResult(run.getResult().toBuilder().addNotes(note))
        .build());
    return this;
  }

  /** Every run added so far ran in a guest whose guest_halt_poll_ns read {@code ns}. */
  SyntheticRuns guestHaltPollNs(String ns) {
    KnobValue knob = KnobValue.newBuilder().setName("guest_halt_poll_ns").setValue(ns)
        .setWritable(true).build();
    runs.replaceAll(run -> run.toBuilder().setResult(run.getResult().toBuilder()
        .setGuestFacts(GuestFacts.newBuilder().addGuestKnobs(knob))).build());
    return this;
  }

  /** Adds a failed run: it counts nowhere. */
  SyntheticRuns failed(String kind, Placement placement, String fleet) {
    runs.add(Run.newBuilder().setId("r" + runs.size()).setFleet(fleet)
        .setState(RunState.RUN_STATE_FAILED).setWorkload(workload(kind, placement)).build());
    return this;
  }

  SeedOutcome outcome(TalkSeed seed, ExperimentSpec spec) {
    return outcome(seed, spec, Optional.empty());
  }

  /** The runs as an experiment's, with the aggregator's comparison of its fleets. */
  SeedOutcome outcome(TalkSeed seed, ExperimentSpec spec,
      Optional<ExperimentComparison> comparison) {
    return new SeedOutcome(seed, spec, Optional.of("e-1"), Optional.empty(), Optional.empty(),
        runs, reports, comparison);
  }

  static GuestPerTransaction guest(double timerWrites, double icrWrites, double hltEntries) {
    return GuestPerTransaction.newBuilder().setTimerMsrWrites(timerWrites)
        .setIcrWrites(icrWrites).setHltEntries(hltEntries).build();
  }

  static HostPerTransaction host(double exits, double hltExits, double icr, double pollNs) {
    return HostPerTransaction.newBuilder().setExits(exits).setHltExits(hltExits).setMsrIcr(icr)
        .setPollSuccessNs(pollNs).build();
  }

  static ExperimentSpec guestPollingSpec() {
    return ExperimentSpec.newBuilder()
        .addFleets(Fleet.newBuilder().setName("guest-poll-0")
            .setGuestProfile(GuestProfile.newBuilder().setGuestHaltPollNs(0)))
        .addFleets(Fleet.newBuilder().setName("guest-poll-200us")
            .setGuestProfile(GuestProfile.newBuilder().setGuestHaltPollNs(200_000)))
        .build();
  }

  static ExperimentSpec hostPollingSpec() {
    return ExperimentSpec.newBuilder()
        .addFleets(Fleet.newBuilder().setName("host-poll-0")
            .setMicroVm(MicroVm.newBuilder().setHaltPollNs(0)))
        .addFleets(Fleet.newBuilder().setName("host-poll-200us")
            .setMicroVm(MicroVm.newBuilder().setHaltPollNs(200_000)))
        .build();
  }

  static ExperimentSpec tickSpec() {
    return ExperimentSpec.newBuilder()
        .addFleets(Fleet.newBuilder().setName("tickless").putSelector("nohz", "idle"))
        .addFleets(Fleet.newBuilder().setName("periodic-tick").putSelector("nohz", "periodic"))
        .build();
  }

  private static Workload workload(String kind, Placement placement) {
    Workload.Builder workload = Workload.newBuilder().setName(kind).setPlacement(placement);
    switch (kind) {
      case "tcp_rr" -> workload.setTcpRr(TcpRr.getDefaultInstance());
      case "memcache" -> workload.setMemcache(Memcache.getDefaultInstance());
      case "condvar" -> workload.setCondvar(Condvar.getDefaultInstance());
      case "ipi_halt" -> workload.setIpiHalt(IpiHalt.getDefaultInstance());
      default -> throw new IllegalArgumentException(kind);
    }
    return workload.build();
  }
}

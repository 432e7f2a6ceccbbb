package dev.kvmmp.worker.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.util.Durations;
import dev.kvmmp.proto.v1.GuestFacts;
import dev.kvmmp.proto.v1.GuestProfile;
import dev.kvmmp.proto.v1.KnobValue;
import dev.kvmmp.proto.v1.Placement;
import dev.kvmmp.proto.v1.PlacementCheck;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunResult;
import dev.kvmmp.proto.v1.TcpRr;
import dev.kvmmp.proto.v1.Workload;
import dev.kvmmp.worker.knobs.FakeSysfs;
import dev.kvmmp.worker.knobs.GuestKnobs;
import dev.kvmmp.worker.workload.ClosedLoop;
import dev.kvmmp.worker.workload.Outcome;
import dev.kvmmp.worker.workload.RunContext;
import dev.kvmmp.worker.workload.RunControl;
import dev.kvmmp.worker.workload.WorkloadException;
import dev.kvmmp.worker.workload.tcprr.TcpRrWorkload;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunExecutorTest {

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

  @TempDir
  Path sysfsRoot;
  @TempDir
  Path stateDir;

  private FakeSysfs sysfs;
  private GuestKnobs knobs;

  @BeforeEach
  void layOutSysfs() {
    sysfs = FakeSysfs.firecrackerGuest(sysfsRoot);
    knobs = new GuestKnobs(sysfsRoot, GuestKnobs.journalIn(stateDir));
  }

  @AfterEach
  void stopTimer() {
    timer.shutdownNow();
  }

  private static Run tcpRr(Placement placement) {
    return Run.newBuilder()
        .setId("e-1-r0000")
        .setWorkload(Workload.newBuilder().setPlacement(placement)
            .setTcpRr(TcpRr.getDefaultInstance()))
        .setWarmup(Durations.fromMillis(50))
        .setDuration(Durations.fromMillis(200))
        .build();
  }

  @Test
  void aResultCarriesFactsPlacementAndTheDeltasOfTheRunsVcpus() throws Exception {
    RunExecutor executor = new RunExecutor(Map.of("tcp_rr", new TcpRrWorkload()),
        () -> GuestFacts.newBuilder().setVcpus(2).build(), timer, Path.of("/proc"),
        knobs, Duration.ofSeconds(5), false);

    RunResult result = executor.execute(tcpRr(Placement.PLACEMENT_SAME_CPU), new RunControl());

    assertThat(result.getGuestFacts().getVcpus()).isEqualTo(2);
    assertThat(result.getPlacement().getVerified()).isTrue();
    assertThat(result.getGuestDeltas().getPerCpuList()).singleElement()
        .satisfies(cpu -> assertThat(cpu.getCpu()).isZero());
    assertThat(result.getGuestDeltas().getContextSwitches()).as("both sides block and wake")
        .isPositive();
  }

  @Test
  void aWorkloadThatHangsFailsAtItsDeadlineAndFreesTheThread() {
    Workload hanging = Workload.newBuilder().setTcpRr(TcpRr.getDefaultInstance()).build();
    dev.kvmmp.worker.workload.Workload stuck = new dev.kvmmp.worker.workload.Workload() {
      @Override
      public String kind() {
        return "tcp_rr";
      }

      @Override
      public Outcome run(RunContext context) throws WorkloadException {
        // A peer that never answers: blocks until interrupted.
        while (!Thread.currentThread().isInterrupted()) {
          LockSupport.park();
        }
        throw new WorkloadException("interrupted");
      }
    };
    RunExecutor executor = new RunExecutor(Map.of("tcp_rr", stuck),
        GuestFacts::getDefaultInstance, timer, Path.of("/proc"), knobs,
        Duration.ofMillis(300), false);
    Run run = tcpRr(Placement.PLACEMENT_UNPINNED).toBuilder().setWorkload(hanging).build();

    long started = System.nanoTime();
    assertThatThrownBy(() -> executor.execute(run, new RunControl()))
        .isInstanceOf(WorkloadException.class)
        .hasMessage("run exceeded its deadline of 0 s (warm-up 50 ms + window 200 ms + 0 s "
            + "grace)");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
    assertThat(Thread.currentThread().isInterrupted()).as("interrupt cleared").isFalse();
  }

  @Test
  void aKindThisWorkerLacksFailsTheRunSayingWhatItRuns() {
    RunExecutor executor = new RunExecutor(Map.of("tcp_rr", new TcpRrWorkload()),
        GuestFacts::getDefaultInstance, timer, Path.of("/proc"), knobs,
        Duration.ofSeconds(5), false);
    Run memcache = tcpRr(Placement.PLACEMENT_UNPINNED).toBuilder()
        .setWorkload(Workload.newBuilder().setMemcache(dev.kvmmp.proto.v1.Memcache
            .getDefaultInstance()))
        .build();

    assertThatThrownBy(() -> executor.execute(memcache, new RunControl()))
        .hasMessage("this worker does not run memcache (it runs tcp_rr)");
  }

  @Test
  void theWorkloadRunsUnderTheRunsGuestKnobsAndTheResultCarriesThemReadBack() throws Exception {
    RecordingWorkload workload = new RecordingWorkload(null);
    RunExecutor executor = new RunExecutor(Map.of("tcp_rr", workload),
        GuestFacts::getDefaultInstance, timer, Path.of("/proc"), knobs,
        Duration.ofSeconds(5), false);
    Run run = tcpRr(Placement.PLACEMENT_SAME_CPU).toBuilder()
        .setGuestProfile(GuestProfile.newBuilder().setGuestHaltPollNs(200_000)
            .addDisabledIdleStates("haltpoll idle"))
        .build();

    RunResult result = executor.execute(run, new RunControl());

    assertThat(workload.seen).containsExactly("200000", "1", "0");
    assertThat(result.getKnobs().getValuesList()).containsExactly(
        KnobValue.newBuilder().setName("guest_halt_poll_ns").setValue("200000")
            .setWritable(true).build(),
        KnobValue.newBuilder().setName("idle_state_disabled:haltpoll idle").setValue("1")
            .setWritable(true).build());
    assertThat(result.getKnobs().getVerdictsList()).isEmpty();
    assertThat(sysfs.get(FakeSysfs.NS)).as("put back").isEqualTo("0");
    assertThat(sysfs.get(FakeSysfs.state(0, 1, "disable"))).as("put back").isEqualTo("0");
  }

  @Test
  void aProfileTheGuestRefusesFailsTheRunBeforeTheWorkloadStarts() {
    RecordingWorkload workload = new RecordingWorkload(null);
    RunExecutor executor = new RunExecutor(Map.of("tcp_rr", workload),
        GuestFacts::getDefaultInstance, timer, Path.of("/proc"), knobs,
        Duration.ofSeconds(5), false);
    Run run = tcpRr(Placement.PLACEMENT_UNPINNED).toBuilder()
        .setGuestProfile(GuestProfile.newBuilder().setCpuidleGovernor("teo"))
        .build();

    assertThatThrownBy(() -> executor.execute(run, new RunControl()))
        .isInstanceOf(WorkloadException.class)
        .hasMessage("cpuidle_governor: 'teo' is not one of the available governors (ladder, "
            + "menu, haltpoll)");
    assertThat(workload.seen).isEmpty();
  }

  @Test
  void aFailedRunStillPutsTheKnobsBack() {
    RecordingWorkload workload = new RecordingWorkload("memcached exited with status 1");
    RunExecutor executor = new RunExecutor(Map.of("tcp_rr", workload),
        GuestFacts::getDefaultInstance, timer, Path.of("/proc"), knobs,
        Duration.ofSeconds(5), false);
    Run run = tcpRr(Placement.PLACEMENT_UNPINNED).toBuilder()
        .setGuestProfile(GuestProfile.newBuilder().setCpuidleGovernor("menu"))
        .build();

    assertThatThrownBy(() -> executor.execute(run, new RunControl()))
        .hasMessage("memcached exited with status 1");
    assertThat(workload.seen).isNotEmpty();
    assertThat(sysfs.get(FakeSysfs.GOVERNOR)).isEqualTo("haltpoll");
  }

  /** Notes the knobs it runs under (ns, cpu0's and cpu1's HLT state); fails if told to. */
  private final class RecordingWorkload implements dev.kvmmp.worker.workload.Workload {
    final List<String> seen = new ArrayList<>();
    private final String failure;

    RecordingWorkload(String failure) {
      this.failure = failure;
    }

    @Override
    public String kind() {
      return "tcp_rr";
    }

    @Override
    public Outcome run(RunContext context) throws WorkloadException {
      seen.add(sysfs.get(FakeSysfs.NS));
      seen.add(sysfs.get(FakeSysfs.state(0, 1, "disable")));
      seen.add(sysfs.get(FakeSysfs.state(1, 1, "disable")));
      if (failure != null) {
        throw new WorkloadException(failure);
      }
      return new Outcome(new ClosedLoop.Measurement(new Histogram(3), 0, 0, Instant.now(), 0),
          PlacementCheck.getDefaultInstance());
    }
  }
}

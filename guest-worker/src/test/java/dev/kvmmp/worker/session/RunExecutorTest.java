package dev.kvmmp.worker.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.util.Durations;
import dev.kvmmp.proto.v1.GuestFacts;
import dev.kvmmp.proto.v1.Placement;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunResult;
import dev.kvmmp.proto.v1.TcpRr;
import dev.kvmmp.proto.v1.Workload;
import dev.kvmmp.worker.workload.Outcome;
import dev.kvmmp.worker.workload.RunContext;
import dev.kvmmp.worker.workload.RunControl;
import dev.kvmmp.worker.workload.WorkloadException;
import dev.kvmmp.worker.workload.tcprr.TcpRrWorkload;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RunExecutorTest {

  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

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
        Duration.ofSeconds(5), false);

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
        GuestFacts::getDefaultInstance, timer, Path.of("/proc"), Duration.ofMillis(300), false);
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
        GuestFacts::getDefaultInstance, timer, Path.of("/proc"), Duration.ofSeconds(5), false);
    Run memcache = tcpRr(Placement.PLACEMENT_UNPINNED).toBuilder()
        .setWorkload(Workload.newBuilder().setMemcache(dev.kvmmp.proto.v1.Memcache
            .getDefaultInstance()))
        .build();

    assertThatThrownBy(() -> executor.execute(memcache, new RunControl()))
        .hasMessage("this worker does not run memcache (it runs tcp_rr)");
  }
}

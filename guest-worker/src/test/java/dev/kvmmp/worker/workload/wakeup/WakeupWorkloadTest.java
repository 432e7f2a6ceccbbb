package dev.kvmmp.worker.workload.wakeup;

import static dev.kvmmp.worker.workload.WorkloadTestRuns.liveThreadsNamed;
import static dev.kvmmp.worker.workload.WorkloadTestRuns.startInThread;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.util.Durations;
import dev.kvmmp.proto.v1.Placement;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.Wakeup;
import dev.kvmmp.proto.v1.Workload;
import dev.kvmmp.worker.facts.CpuList;
import dev.kvmmp.worker.placement.PlacementPlan;
import dev.kvmmp.worker.workload.ClosedLoop;
import dev.kvmmp.worker.workload.Outcome;
import dev.kvmmp.worker.workload.RunContext;
import dev.kvmmp.worker.workload.RunControl;
import dev.kvmmp.worker.workload.Window;
import dev.kvmmp.worker.workload.WindowObserver;
import dev.kvmmp.worker.workload.WorkloadException;
import dev.kvmmp.worker.workload.WorkloadTestRuns;
import dev.kvmmp.worker.workload.WorkloadTestRuns.Started;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Real wake-ups of a parked thread, short: no timing is asserted beyond sanity. */
class WakeupWorkloadTest {

  private final List<Integer> tids = Collections.synchronizedList(new ArrayList<>());
  private final RunControl control = new RunControl();

  @ParameterizedTest
  @EnumSource(names = {"PLACEMENT_UNPINNED", "PLACEMENT_SAME_CPU", "PLACEMENT_CROSS_CPU"})
  void measuresWakeupsAfterTheDelaysWhereThePlacementSays(Placement placement) throws Exception {
    CpuList online = CpuList.online();
    Assumptions.assumeTrue(placement != Placement.PLACEMENT_CROSS_CPU || online.count() >= 2,
        "cross-cpu needs 2 vCPUs");
    Run run = run("e-2-r0001", Wakeup.getDefaultInstance(), placement, Duration.ofMillis(300));

    Outcome outcome = new WakeupWorkload().run(context(run));

    ClosedLoop.Measurement measurement = outcome.measurement();
    assertThat(measurement.histogram().getTotalCount())
        .isEqualTo(measurement.transactions())
        .isPositive();
    // Above what two clock reads cost, below anything a working wake-up takes.
    assertThat(measurement.histogram().getValueAtPercentile(50)).isBetween(500L, 10_000_000L);
    assertThat(measurement.windowNanos() / measurement.transactions())
        .as("every wake-up waits at least the 50 us minimum delay")
        .isGreaterThanOrEqualTo(50_000L);
    assertThat(outcome.placement().getPlacement()).isEqualTo(placement);
    assertThat(outcome.placement().getVerified()).as(outcome.placement().getDetail()).isTrue();
    assertThat(tids).hasSize(2).doesNotHaveDuplicates();
    if (placement == Placement.PLACEMENT_CROSS_CPU) {
      assertThat(outcome.placement().getClientCpu()).isEqualTo(0);
      assertThat(outcome.placement().getServerCpu()).isEqualTo(1);
    }
    assertThat(liveThreadsNamed("wakeup-signaller-e-2-r0001")).isEmpty();
  }

  @Test
  void waitsTheDelaysTheSpecAsksFor() throws Exception {
    Wakeup fixed = Wakeup.newBuilder().setMinDelay(Durations.fromMicros(1_000))
        .setMaxDelay(Durations.fromMicros(1_000)).build();
    Run run = run("e-2-r0002", fixed, Placement.PLACEMENT_UNPINNED, Duration.ofMillis(300));

    ClosedLoop.Measurement measurement = new WakeupWorkload().run(context(run)).measurement();

    assertThat(measurement.windowNanos() / measurement.transactions())
        .isGreaterThanOrEqualTo(1_000_000L);
  }

  @Test
  void aRunCancelledBeforeItStartsFailsPromptlyAndStopsTheSignaller() {
    Run run = run("e-2-r0003", Wakeup.getDefaultInstance(), Placement.PLACEMENT_UNPINNED,
        Duration.ofSeconds(30));
    control.cancel();
    long start = System.nanoTime();

    assertThatThrownBy(() -> new WakeupWorkload().run(context(run)))
        .isInstanceOf(WorkloadException.class)
        .hasMessageContaining("cancelled");

    // The closed loop checks before its first transaction, then every 10 ms.
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(liveThreadsNamed("wakeup-signaller-e-2-r0003")).isEmpty();
  }

  @Test
  void aRunCancelledWhileMeasuringFailsPromptlyAndStopsTheSignaller() throws Exception {
    Run run = run("e-2-r0004", Wakeup.getDefaultInstance(), Placement.PLACEMENT_UNPINNED,
        Duration.ofSeconds(30));
    Started running = startInThread(new WakeupWorkload(), context(run));
    Thread.sleep(300);

    long start = System.nanoTime();
    control.cancel();

    assertThatThrownBy(() -> running.outcome().get(2, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(WorkloadException.class).hasMessageContaining("cancelled");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(liveThreadsNamed("wakeup-signaller-e-2-r0004")).isEmpty();
  }

  @Test
  void anInterruptedRunThreadFailsPromptlyAndStopsTheSignaller() throws Exception {
    Run run = run("e-2-r0005", Wakeup.getDefaultInstance(), Placement.PLACEMENT_UNPINNED,
        Duration.ofSeconds(30));
    Started running = startInThread(new WakeupWorkload(), context(run));
    Thread.sleep(300);

    long start = System.nanoTime();
    running.thread().interrupt();

    assertThatThrownBy(() -> running.outcome().get(2, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(WorkloadException.class).hasMessageContaining("interrupted");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(liveThreadsNamed("wakeup-signaller-e-2-r0005")).isEmpty();
  }

  @Test
  void aSignallerThatCannotBePlacedFailsTheRunWithItsReason() {
    Run run = run("e-2-r0006", Wakeup.getDefaultInstance(), Placement.PLACEMENT_CROSS_CPU,
        Duration.ofSeconds(30));
    // vCPU 4095 is offline on any test machine: pinning the signaller there fails.
    PlacementPlan unplaceable = new PlacementPlan(Placement.PLACEMENT_CROSS_CPU,
        OptionalInt.of(0), OptionalInt.of(4095));
    long start = System.nanoTime();

    assertThatThrownBy(() -> new WakeupWorkload().run(new RunContext(run, Window.of(run),
        unplaceable, control, WindowObserver.NONE, tids::add)))
        .isInstanceOf(WorkloadException.class)
        .hasMessageContaining("sched_setaffinity");

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(liveThreadsNamed("wakeup-signaller-e-2-r0006")).isEmpty();
  }

  private static Run run(String id, Wakeup wakeup, Placement placement, Duration window) {
    Workload workload = Workload.newBuilder().setWakeup(wakeup).setPlacement(placement).build();
    return WorkloadTestRuns.run(id, workload, window);
  }

  private RunContext context(Run run) throws WorkloadException {
    return new RunContext(run, Window.of(run), PlacementPlan.of(run.getWorkload(),
        CpuList.online()), control, WindowObserver.NONE, tids::add);
  }
}

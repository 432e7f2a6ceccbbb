package dev.kvmmp.worker.workload.condvar;

import static dev.kvmmp.worker.workload.WorkloadTestRuns.liveThreadsNamed;
import static dev.kvmmp.worker.workload.WorkloadTestRuns.startInThread;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvmmp.proto.v1.Condvar;
import dev.kvmmp.proto.v1.CondvarPrimitive;
import dev.kvmmp.proto.v1.Placement;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.Workload;
import dev.kvmmp.worker.facts.CpuList;
import dev.kvmmp.worker.placement.PlacementPlan;
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
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** Real threads passing a real token, short: no timing is asserted beyond sanity. */
class CondvarWorkloadTest {

  private final List<Integer> tids = Collections.synchronizedList(new ArrayList<>());
  private final RunControl control = new RunControl();

  @ParameterizedTest
  @CsvSource({
      "CONDVAR_PRIMITIVE_PARK, PLACEMENT_UNPINNED",
      "CONDVAR_PRIMITIVE_PARK, PLACEMENT_SAME_CPU",
      "CONDVAR_PRIMITIVE_PARK, PLACEMENT_CROSS_CPU",
      "CONDVAR_PRIMITIVE_CONDITION, PLACEMENT_UNPINNED",
      "CONDVAR_PRIMITIVE_CONDITION, PLACEMENT_SAME_CPU",
      "CONDVAR_PRIMITIVE_CONDITION, PLACEMENT_CROSS_CPU",
      "CONDVAR_PRIMITIVE_MONITOR, PLACEMENT_UNPINNED",
      "CONDVAR_PRIMITIVE_MONITOR, PLACEMENT_SAME_CPU",
      "CONDVAR_PRIMITIVE_MONITOR, PLACEMENT_CROSS_CPU",
      "CONDVAR_PRIMITIVE_PIPE, PLACEMENT_UNPINNED",
      "CONDVAR_PRIMITIVE_PIPE, PLACEMENT_SAME_CPU",
      "CONDVAR_PRIMITIVE_PIPE, PLACEMENT_CROSS_CPU"})
  void passesTheTokenWhereThePlacementSaysAndStopsThePartner(CondvarPrimitive primitive,
      Placement placement) throws Exception {
    CpuList online = CpuList.online();
    Assumptions.assumeTrue(placement != Placement.PLACEMENT_CROSS_CPU || online.count() >= 2,
        "cross-cpu needs 2 vCPUs");
    Run run = run("e-1-r0001", primitive, placement, Duration.ofMillis(300));

    Outcome outcome = new CondvarWorkload().run(context(run));

    assertThat(outcome.measurement().histogram().getTotalCount())
        .isEqualTo(outcome.measurement().transactions())
        .isPositive();
    assertThat(outcome.measurement().histogram().getValueAtPercentile(50))
        .isBetween(500L, 10_000_000L);
    assertThat(outcome.placement().getPlacement()).isEqualTo(placement);
    assertThat(outcome.placement().getVerified()).as(outcome.placement().getDetail()).isTrue();
    assertThat(tids).hasSize(2).doesNotHaveDuplicates();
    if (placement == Placement.PLACEMENT_CROSS_CPU) {
      assertThat(outcome.placement().getClientCpu()).isEqualTo(0);
      assertThat(outcome.placement().getServerCpu()).isEqualTo(1);
    }
    assertThat(liveThreadsNamed("condvar-partner-e-1-r0001")).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(names = {"CONDVAR_PRIMITIVE_PARK", "CONDVAR_PRIMITIVE_CONDITION",
      "CONDVAR_PRIMITIVE_MONITOR", "CONDVAR_PRIMITIVE_PIPE"})
  void aRunCancelledBeforeItStartsFailsPromptlyAndStopsThePartner(CondvarPrimitive primitive) {
    Run run = run("e-1-r0002", primitive, Placement.PLACEMENT_UNPINNED, Duration.ofSeconds(30));
    control.cancel();
    long start = System.nanoTime();

    assertThatThrownBy(() -> new CondvarWorkload().run(context(run)))
        .isInstanceOf(WorkloadException.class)
        .hasMessageContaining("cancelled");

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(liveThreadsNamed("condvar-partner-e-1-r0002")).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(names = {"CONDVAR_PRIMITIVE_PARK", "CONDVAR_PRIMITIVE_CONDITION",
      "CONDVAR_PRIMITIVE_MONITOR", "CONDVAR_PRIMITIVE_PIPE"})
  void aRunCancelledWhileMeasuringFailsPromptlyAndStopsThePartner(CondvarPrimitive primitive)
      throws Exception {
    Run run = run("e-1-r0003", primitive, Placement.PLACEMENT_UNPINNED, Duration.ofSeconds(30));
    Started running = startInThread(new CondvarWorkload(), context(run));
    Thread.sleep(300);

    long start = System.nanoTime();
    control.cancel();

    assertThatThrownBy(() -> running.outcome().get(2, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(WorkloadException.class).hasMessageContaining("cancelled");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(liveThreadsNamed("condvar-partner-e-1-r0003")).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(names = {"CONDVAR_PRIMITIVE_PARK", "CONDVAR_PRIMITIVE_CONDITION",
      "CONDVAR_PRIMITIVE_MONITOR", "CONDVAR_PRIMITIVE_PIPE"})
  void anInterruptedRunThreadFailsPromptlyAndStopsThePartner(CondvarPrimitive primitive)
      throws Exception {
    Run run = run("e-1-r0004", primitive, Placement.PLACEMENT_UNPINNED, Duration.ofSeconds(30));
    Started running = startInThread(new CondvarWorkload(), context(run));
    Thread.sleep(300);

    long start = System.nanoTime();
    running.thread().interrupt();

    assertThatThrownBy(() -> running.outcome().get(2, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(WorkloadException.class).hasMessageContaining("interrupted");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(liveThreadsNamed("condvar-partner-e-1-r0004")).isEmpty();
  }

  @Test
  void aPartnerThatCannotBePlacedFailsTheRunWithItsReason() {
    Run run = run("e-1-r0005", CondvarPrimitive.CONDVAR_PRIMITIVE_PARK,
        Placement.PLACEMENT_CROSS_CPU, Duration.ofSeconds(30));
    // vCPU 4095 is offline on any test machine: pinning the partner there fails.
    PlacementPlan unplaceable = new PlacementPlan(Placement.PLACEMENT_CROSS_CPU,
        OptionalInt.of(0), OptionalInt.of(4095));
    long start = System.nanoTime();

    assertThatThrownBy(() -> new CondvarWorkload().run(new RunContext(run, Window.of(run),
        unplaceable, control, WindowObserver.NONE, tids::add)))
        .isInstanceOf(WorkloadException.class)
        .hasMessageContaining("sched_setaffinity");

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
    assertThat(liveThreadsNamed("condvar-partner-e-1-r0005")).isEmpty();
  }

  private static Run run(String id, CondvarPrimitive primitive, Placement placement,
      Duration window) {
    Workload workload = Workload.newBuilder()
        .setCondvar(Condvar.newBuilder().setPrimitive(primitive))
        .setPlacement(placement)
        .build();
    return WorkloadTestRuns.run(id, workload, window);
  }

  private RunContext context(Run run) throws WorkloadException {
    return new RunContext(run, Window.of(run), PlacementPlan.of(run.getWorkload(),
        CpuList.online()), control, WindowObserver.NONE, tids::add);
  }
}

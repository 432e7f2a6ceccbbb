package dev.kvmmp.worker.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Durations;
import dev.kvmmp.proto.v1.Condvar;
import dev.kvmmp.proto.v1.CondvarPrimitive;
import dev.kvmmp.proto.v1.GuestFacts;
import dev.kvmmp.proto.v1.Placement;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunResult;
import dev.kvmmp.proto.v1.TcpRr;
import dev.kvmmp.proto.v1.Wakeup;
import dev.kvmmp.proto.v1.Workload;
import dev.kvmmp.worker.facts.GuestFactsReader;
import dev.kvmmp.worker.knobs.GuestKnobs;
import dev.kvmmp.worker.session.RunExecutor;
import dev.kvmmp.worker.workload.RunControl;
import dev.kvmmp.worker.workload.Workloads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * On this KVM guest, the exit-causing events of each workload, counted in the kernel: a
 * cross-vCPU transaction sends IPIs (x2APIC ICR writes) to a vCPU that halts, a same-vCPU one
 * neither. Direction and order of magnitude, not exact figures: they depend on the machine.
 */
class ExitCauseCountersIT {

  private static ScheduledExecutorService timer;
  private static Path knobJournal;
  private static RunExecutor executor;

  @BeforeAll
  static void start() throws Exception {
    timer = Executors.newSingleThreadScheduledExecutor();
    knobJournal = Files.createTempDirectory("kvmmp-knobs").resolve("guest-knobs.journal");
    GuestFacts facts = new GuestFactsReader(Path.of("/")).read();
    Assumptions.assumeTrue(facts.getUnderHypervisor(), "not a VM: nothing exits");
    executor = new RunExecutor(Workloads.all().stream().collect(Collectors.toMap(
        dev.kvmmp.worker.workload.Workload::kind, Function.identity())), () -> facts, timer,
        Path.of("/proc"), new GuestKnobs(Path.of("/"), knobJournal), RunExecutor.DEFAULT_GRACE,
        true);
  }

  @AfterAll
  static void stop() {
    timer.shutdownNow();
  }

  static Stream<Arguments> workloads() {
    return Stream.of(
        Arguments.of("tcp_rr", Workload.newBuilder().setTcpRr(TcpRr.getDefaultInstance()), false),
        Arguments.of("condvar park", Workload.newBuilder().setCondvar(Condvar.newBuilder()
            .setPrimitive(CondvarPrimitive.CONDVAR_PRIMITIVE_PARK)), false),
        // wakeup sleeps between transactions so that the waiter's vCPU goes idle: on one vCPU
        // too, it halts once per transaction, and its timer (not an IPI) wakes it.
        Arguments.of("wakeup", Workload.newBuilder().setWakeup(Wakeup.getDefaultInstance()), true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("workloads")
  void crossVcpuTransactionsSendIpisToHaltedVcpusAndSameVcpuOnesDoNot(String name,
      Workload.Builder workload, boolean idlesBetweenTransactions) throws Exception {
    RunResult cross = run(workload.clone().setPlacement(Placement.PLACEMENT_CROSS_CPU));
    RunResult same = run(workload.clone().setPlacement(Placement.PLACEMENT_SAME_CPU));

    Explanation.Figures crossFigures = Explanation.figures(cross.getGuestDeltas(),
        cross.getTransactions());
    Explanation.Figures sameFigures = Explanation.figures(same.getGuestDeltas(),
        same.getTransactions());
    assertThat(cross.getGuestDeltas().getMissingEventsList()).isEmpty();
    // wakeup is one-way: one IPI per transaction; the round trips two.
    assertThat(crossFigures.ipis()).as("%s cross: %s", name, cross.getExplanation())
        .isBetween(0.8, 3.0);
    assertThat(crossFigures.haltEntries()).as("%s cross: %s", name, cross.getExplanation())
        .isBetween(0.5, 3.0);
    assertThat(sameFigures.ipis()).as("%s same: %s", name, same.getExplanation())
        .isLessThan(0.1);
    if (!idlesBetweenTransactions) {
      assertThat(sameFigures.haltEntries()).as("%s same: %s", name, same.getExplanation())
          .isLessThan(crossFigures.haltEntries() / 2);
    }
    assertThat(cross.getExplanation()).contains("cross-vCPU wake-ups of halted vCPUs dominate");
  }

  private static RunResult run(Workload.Builder workload) throws Exception {
    Run run = Run.newBuilder().setId("it-" + workload.getKindCase()).setWorkload(workload)
        .setWarmup(Durations.fromMillis(200)).setDuration(Durations.fromMillis(800)).build();
    return executor.execute(run, new RunControl());
  }
}

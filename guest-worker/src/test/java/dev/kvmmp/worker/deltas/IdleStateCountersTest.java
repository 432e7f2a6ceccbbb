package dev.kvmmp.worker.deltas;

import static dev.kvmmp.worker.knobs.FakeSysfs.state;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.kvmmp.proto.v1.GuestDeltas;
import dev.kvmmp.proto.v1.IdleStateDelta;
import dev.kvmmp.worker.knobs.FakeSysfs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdleStateCountersTest {

  @TempDir
  Path root;
  private FakeSysfs sysfs;

  @BeforeEach
  void guestWithTwoIdleStates() {
    sysfs = FakeSysfs.firecrackerGuest(root);
    counts(0, 100, 5_000, 40, 900_000);
    counts(1, 200, 7_000, 60, 800_000);
  }

  /** cpu's POLL (state0) and "haltpoll idle" (state1) usage and time (us). */
  private void counts(int cpu, long pollUsage, long pollUs, long haltUsage, long haltUs) {
    sysfs.set(state(cpu, 0, "usage"), Long.toString(pollUsage));
    sysfs.set(state(cpu, 0, "time"), Long.toString(pollUs));
    sysfs.set(state(cpu, 1, "usage"), Long.toString(haltUsage));
    sysfs.set(state(cpu, 1, "time"), Long.toString(haltUs));
  }

  private GuestDeltas window(List<Integer> cpus, Runnable during) {
    IdleStateCounters counters = new IdleStateCounters(root, cpus);
    counters.windowOpens();
    during.run();
    counters.windowClosed();
    GuestDeltas.Builder deltas = GuestDeltas.newBuilder();
    counters.fill(deltas);
    return deltas.build();
  }

  @Test
  void givesEachStatesEntriesAndNanosSummedOverTheRunsVcpus() {
    GuestDeltas deltas = window(List.of(0, 1), () -> {
      counts(0, 130, 6_500, 41, 950_000);
      counts(1, 220, 7_200, 70, 810_000);
    });

    assertThat(deltas.getIdleStatesList()).containsExactly(
        IdleStateDelta.newBuilder().setName("POLL").setEntries(30 + 20)
            .setTimeNs((1_500 + 200) * 1_000L).build(),
        IdleStateDelta.newBuilder().setName("haltpoll idle").setEntries(1 + 10)
            .setTimeNs((50_000 + 10_000) * 1_000L).build());
    assertThat(deltas.getMissingEventsList()).isEmpty();
  }

  @Test
  void countsOnlyTheRunsVcpus() {
    GuestDeltas deltas = window(List.of(1), () -> {
      counts(0, 999, 99_999, 999, 9_999_999);
      counts(1, 201, 7_010, 60, 800_000);
    });

    assertThat(deltas.getIdleStatesList()).extracting(IdleStateDelta::getName,
        IdleStateDelta::getEntries, IdleStateDelta::getTimeNs)
        .containsExactly(Tuple.tuple("POLL", 1L, 10_000L),
            Tuple.tuple("haltpoll idle", 0L, 0L));
  }

  @Test
  void aVcpuWithoutCpuidleGivesNoStatesAndSaysWhyNeverZero() {
    sysfs.delete("sys/devices/system/cpu/cpu1/cpuidle");

    GuestDeltas deltas = window(List.of(0, 1), () -> counts(0, 130, 6_500, 41, 950_000));

    assertThat(deltas.getIdleStatesList()).as("a sum over cpu0 alone is not the run's").isEmpty();
    assertThat(deltas.getMissingEventsList()).singleElement().asString()
        .startsWith("cpuidle states (no /sys/devices/system/cpu/cpu1/cpuidle: no cpuidle driver");
  }

  @Test
  void aGarbledCountNamesTheFileAndItsContent() {
    GuestDeltas deltas = window(List.of(0), () -> sysfs.set(state(0, 1, "time"), "lots"));

    assertThat(deltas.getIdleStatesList()).isEmpty();
    assertThat(deltas.getMissingEventsList()).containsExactly("cpuidle states ("
        + "/sys/devices/system/cpu/cpu0/cpuidle/state1/time holds 'lots', expected a decimal "
        + "count)");
  }

  @Test
  void statesThatChangeWithinTheWindowGiveNoFigures() {
    GuestDeltas deltas = window(List.of(0), () -> sysfs.set(state(0, 1, "name"), "C1"));

    assertThat(deltas.getIdleStatesList()).isEmpty();
    assertThat(deltas.getMissingEventsList()).singleElement().asString()
        .contains("/sys/devices/system/cpu/cpu0/cpuidle/state1 changed within the window");
  }

  @Test
  void aWindowThatNeverClosedAddsNothing() {
    IdleStateCounters counters = new IdleStateCounters(root, List.of(0));
    counters.windowOpens();
    GuestDeltas.Builder deltas = GuestDeltas.newBuilder();

    counters.fill(deltas);

    assertThat(deltas.build()).isEqualTo(GuestDeltas.getDefaultInstance());
  }

  @Test
  void readsThisMachinesIdleStatesByName() throws Exception {
    Path cpuidle = Path.of("/sys/devices/system/cpu/cpu0/cpuidle");
    assumeThat(Files.isDirectory(cpuidle)).as("this machine has a cpuidle driver").isTrue();
    List<String> names = new ArrayList<>();
    for (int k = 0; Files.isDirectory(cpuidle.resolve("state" + k)); k++) {
      names.add(Files.readString(cpuidle.resolve("state" + k + "/name")).trim());
    }
    IdleStateCounters counters = new IdleStateCounters(Path.of("/"), List.of(0));

    counters.windowOpens();
    LockSupport.parkNanos(50_000_000);
    counters.windowClosed();
    GuestDeltas.Builder deltas = GuestDeltas.newBuilder();
    counters.fill(deltas);

    assertThat(deltas.getMissingEventsList()).isEmpty();
    assertThat(deltas.getIdleStatesList()).extracting(IdleStateDelta::getName)
        .containsExactlyElementsOf(names);
    // sysfs counts whole us: every figure is a multiple of 1000 ns.
    assertThat(deltas.getIdleStatesList()).allSatisfy(
        state -> assertThat(state.getTimeNs() % 1_000).isZero());
  }
}

package dev.kvmmp.coordinator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvmmp.coordinator.probes.ConnectedProbe;
import dev.kvmmp.coordinator.state.MemoryStateLog;
import dev.kvmmp.coordinator.workers.ConnectedWorker;
import dev.kvmmp.proto.v1.CoordinatorToProbe;
import dev.kvmmp.proto.v1.CoordinatorToWorker;
import dev.kvmmp.proto.v1.Exclusivity;
import dev.kvmmp.proto.v1.ExperimentSpec;
import dev.kvmmp.proto.v1.ExperimentState;
import dev.kvmmp.proto.v1.Fleet;
import dev.kvmmp.proto.v1.HostFacts;
import dev.kvmmp.proto.v1.HostKnobs;
import dev.kvmmp.proto.v1.Register;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunState;
import dev.kvmmp.proto.v1.VmInfo;
import dev.kvmmp.proto.v1.WindowEdge;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Fleets, exclusivity, host knobs, bracketing and restarts, with fake streams and probes. */
class FleetSchedulingTest {

  private final TestClock clock = new TestClock();
  private final AtomicInteger ids = new AtomicInteger();
  private final MemoryStateLog stateLog = new MemoryStateLog();
  private final FakeHostRequests host = new FakeHostRequests();
  private Coordinator coordinator = newCoordinator();

  private Coordinator newCoordinator() {
    Coordinator c = new Coordinator(clock, Duration.ofSeconds(1),
        () -> "e-" + ids.incrementAndGet(), stateLog);
    c.useHostRequests(host, Duration.ZERO);
    return c;
  }

  private static ExperimentSpec twoFleets(int repetitions) {
    return Specs.tcpRr(repetitions).toBuilder()
        .addFleets(Fleet.newBuilder().setName("a").putSelector("vcpus", "2"))
        .addFleets(Fleet.newBuilder().setName("b").putSelector("guest.vcpus", "4"))
        .build();
  }

  private static Register inVm(String workerId, int vcpus, String vm) {
    Register r = Specs.register(workerId, vcpus);
    return r.toBuilder().setFacts(r.getFacts().toBuilder().setVmIdentity(vm)).build();
  }

  @Test
  void twoFleetsOnTwoWorkersOfOneVmRunOneAtATimeInInterleavedBlocks() {
    List<RecordingStream<CoordinatorToWorker>> streams = List.of(new RecordingStream<>(),
        new RecordingStream<>());
    List<ConnectedWorker> workers = List.of(
        coordinator.register(inVm("w1", 2, "vm-a"), streams.get(0)),
        coordinator.register(inVm("w2", 4, "vm-a"), streams.get(1)));
    String id = coordinator.submit(twoFleets(4)).getId();

    List<String> order = new ArrayList<>();
    Set<String> finished = new HashSet<>();
    for (int step = 0; step < 8; step++) {
      List<Integer> holding = new ArrayList<>();
      for (int w = 0; w < 2; w++) {
        List<Run> assigned = assigned(streams.get(w));
        if (!assigned.isEmpty()
            && !finished.contains(assigned.get(assigned.size() - 1).getId())) {
          holding.add(w);
        }
      }
      assertThat(holding).as("one run at a time in one VM").hasSize(1);
      int w = holding.get(0);
      Run current = assigned(streams.get(w)).get(assigned(streams.get(w)).size() - 1);
      order.add(current.getFleet());
      finished.add(current.getId());
      coordinator.completed(workers.get(w), Completions.of(current, 5));
    }

    assertThat(order).hasSize(8);
    for (int block = 0; block < 4; block++) {
      assertThat(Set.copyOf(order.subList(block * 2, block * 2 + 2)))
          .as("block %d holds one run of each fleet", block).containsExactlyInAnyOrder("a", "b");
    }
    assertThat(stateLog.runChanges()).filteredOn(r -> r.getState() == RunState.RUN_STATE_RUNNING)
        .extracting(Run::getFleet).containsExactlyElementsOf(order);
    assertThat(coordinator.get(id).getExperiment().getState())
        .isEqualTo(ExperimentState.EXPERIMENT_STATE_SUCCEEDED);
  }

  private static List<Run> assigned(RecordingStream<CoordinatorToWorker> stream) {
    return stream.messages.stream().filter(CoordinatorToWorker::hasAssign)
        .map(m -> m.getAssign().getRun()).toList();
  }

  @Test
  void exclusivityWorkerLetsTwoWorkersOfOneVmRunAtOnce() {
    RecordingStream<CoordinatorToWorker> s1 = new RecordingStream<>();
    RecordingStream<CoordinatorToWorker> s2 = new RecordingStream<>();
    coordinator.register(inVm("w1", 2, "vm-a"), s1);
    coordinator.register(inVm("w2", 2, "vm-a"), s2);

    coordinator.submit(Specs.tcpRr(2).toBuilder()
        .setExclusivity(Exclusivity.EXCLUSIVITY_WORKER).build());

    assertThat(s1.messages).filteredOn(CoordinatorToWorker::hasAssign).hasSize(1);
    assertThat(s2.messages).filteredOn(CoordinatorToWorker::hasAssign).hasSize(1);
  }

  @Test
  void aRestartedCoordinatorLetsTheWorkerFinishItsRunAndRunsTheRestOnce() {
    RecordingStream<CoordinatorToWorker> stream = new RecordingStream<>();
    coordinator.register(inVm("w1", 2, "vm-a"), stream);
    String id = coordinator.submit(Specs.tcpRr(3)).getId();
    Run inHand = stream.messages.get(1).getAssign().getRun();

    coordinator = newCoordinator();
    RecordingStream<CoordinatorToWorker> again = new RecordingStream<>();
    ConnectedWorker back = coordinator.register(inVm("w1", 2, "vm-a").toBuilder()
        .setCurrentRunId(inHand.getId()).setCurrentRunAttempt(1).build(), again);
    coordinator.completed(back, Completions.of(inHand, 5).toBuilder()
        .setAttempt(1).build());
    for (int i = 0; i < 2; i++) {
      coordinator.completed(back, Completions.of(assigned(again).get(i), 5));
    }

    var done = coordinator.get(id);
    assertThat(done.getExperiment().getState())
        .isEqualTo(ExperimentState.EXPERIMENT_STATE_SUCCEEDED);
    assertThat(done.getRunsList()).allMatch(r -> r.getAttempt() == 1);
    assertThat(stateLog.runChanges()).filteredOn(r -> r.getState() == RunState.RUN_STATE_SUCCEEDED)
        .extracting(Run::getId).doesNotHaveDuplicates().hasSize(3);
  }

  @Test
  void aRestartedCoordinatorRequeuesARunWhoseWorkerNeverComesBack() {
    coordinator.register(inVm("w1", 2, "vm-a"), new RecordingStream<>());
    String id = coordinator.submit(Specs.tcpRr(1)).getId();

    coordinator = newCoordinator();
    RecordingStream<CoordinatorToWorker> other = new RecordingStream<>();
    ConnectedWorker w2 = coordinator.register(inVm("w2", 2, "vm-b"), other);
    assertThat(assigned(other)).as("held while w1 may come back").isEmpty();
    for (int s = 0; s < 16; s++) {
      clock.advance(Duration.ofSeconds(1));
      coordinator.heartbeat(w2);
      coordinator.expireSilentWorkers();
    }

    Run retried = assigned(other).get(0);
    assertThat(retried.getAttempt()).isEqualTo(2);
    assertThat(retried.getEarlierAttemptsList()).containsExactly("attempt 1: the coordinator "
        + "restarted and worker 'w1' did not reconnect to claim it");
    coordinator.completed(w2, Completions.of(retried, 5));
    assertThat(coordinator.get(id).getExperiment().getState())
        .isEqualTo(ExperimentState.EXPERIMENT_STATE_SUCCEEDED);
  }

  private ConnectedProbe probe(String hostId, List<String> vms, List<String> allowed) {
    ConnectedProbe probe = new ConnectedProbe(HostFacts.newBuilder().setHostId(hostId)
        .setCpuGeneration("rocketlake").build(),
        vms.stream().map(v -> VmInfo.newBuilder().setVmIdentity(v).build()).toList(),
        List.of(), allowed, new RecordingStream<CoordinatorToProbe>(), clock.instant());
    coordinator.probeConnected(probe);
    return probe;
  }

  private static ExperimentSpec pollingFleets() {
    return Specs.tcpRr(1).toBuilder()
        .addFleets(Fleet.newBuilder().setName("no-poll")
            .putSelector("host.cpu.generation", "rocketlake")
            .setHostKnobs(HostKnobs.newBuilder().setHaltPollNs(0)))
        .addFleets(Fleet.newBuilder().setName("default-poll"))
        .setOrder(dev.kvmmp.proto.v1.Order.ORDER_SEQUENTIAL)
        .build();
  }

  @Test
  void setsAFleetsHostKnobsBeforeItsRunBracketsItAndPutsThemBackForTheNextFleetAndAtTheEnd()
      throws Exception {
    probe("h1", List.of("vm-a"), List.of("halt_poll_ns"));
    RecordingStream<CoordinatorToWorker> stream = new RecordingStream<>();
    ConnectedWorker worker = coordinator.register(inVm("w1", 2, "vm-a"), stream);

    String id = coordinator.submit(pollingFleets()).getId();
    Run first = stream.messages.get(1).getAssign().getRun();
    coordinator.windowEdge(worker, WindowEdge.newBuilder().setRunId(first.getId())
        .setAttempt(1).setEdge(WindowEdge.Edge.EDGE_OPENING).build());
    coordinator.completed(worker, Completions.of(first, 5));
    Run second = assigned(stream).get(1);
    coordinator.completed(worker, Completions.of(second, 5));

    assertThat(first.getFleet()).isEqualTo("no-poll");
    assertThat(first.getBracketed()).isTrue();
    assertThat(first.getHostId()).isEqualTo("h1");
    assertThat(stream.messages).filteredOn(CoordinatorToWorker::hasWindowGo).singleElement()
        .extracting(m -> m.getWindowGo().getSnapshotError()).isEqualTo("");
    assertThat(host.calls()).containsExactly(
        "h1: apply halt_poll_ns=0",
        "h1: snapshot vm-a " + first.getId() + " IDLE_BASELINE",
        "h1: snapshot vm-a " + first.getId() + " IDLE_BASELINE_END",
        "h1: snapshot vm-a " + first.getId() + " WINDOW_START",
        "h1: restore",
        "h1: snapshot vm-a " + second.getId() + " IDLE_BASELINE",
        "h1: snapshot vm-a " + second.getId() + " IDLE_BASELINE_END");
    assertThat(coordinator.get(id).getExperiment().getState())
        .isEqualTo(ExperimentState.EXPERIMENT_STATE_SUCCEEDED);
  }

  @Test
  void refusesAKnobTheProbeDoesNotAllowAndWritesNothing() {
    probe("h1", List.of("vm-a"), List.of());
    coordinator.register(inVm("w1", 2, "vm-a"), new RecordingStream<>());

    assertThatThrownBy(() -> coordinator.submit(pollingFleets()))
        .isInstanceOf(StatusRuntimeException.class)
        .hasMessageContaining("fleets[0].host_knobs.halt_poll_ns: the probe of host 'h1' does "
            + "not allow it (allowed: []; see its --allow-knob)");
    assertThat(stateLog.read().experiments()).isEmpty();
    assertThat(stateLog.read().runCount()).isZero();
  }

  @Test
  void refusesHostKnobsThatWouldMeetOnAHostShared() {
    probe("h1", List.of("vm-a", "vm-b"), List.of("halt_poll_ns"));
    coordinator.register(inVm("w1", 2, "vm-a"), new RecordingStream<>());
    coordinator.register(inVm("w2", 2, "vm-b"), new RecordingStream<>());

    assertThatThrownBy(() -> coordinator.submit(pollingFleets().toBuilder()
        .setExclusivity(Exclusivity.EXCLUSIVITY_VM).build()))
        .isInstanceOf(StatusRuntimeException.class)
        .hasMessageContaining("fleets[0].host_knobs and fleets[1].host_knobs differ, and runs of "
            + "both may share host 'h1' at the same time (exclusivity vm)");
  }

  @Test
  void refusesAnUnknownLabelNamingTheFleetAndTheKnownOnes() {
    coordinator.register(inVm("w1", 2, "vm-a"), new RecordingStream<>());

    assertThatThrownBy(() -> coordinator.submit(Specs.tcpRr(1).toBuilder()
        .addFleets(Fleet.newBuilder().setName("x").putSelector("vcpu", "2")).build()))
        .isInstanceOf(StatusRuntimeException.class)
        .hasMessageContaining("INVALID_ARGUMENT: fleets[0].selector.vcpu: unknown label 'vcpu'");
  }

  @Test
  void aWorkerInAVmThatAProbeSeesCarriesItsHostsLabels() {
    probe("h1", List.of("vm-a"), List.of());
    coordinator.register(inVm("w1", 2, "vm-a"), new RecordingStream<>());

    assertThat(coordinator.workers().get(0).getLabelsMap())
        .containsEntry("host.cpu.generation", "rocketlake").containsEntry("host.id", "h1");
  }
}

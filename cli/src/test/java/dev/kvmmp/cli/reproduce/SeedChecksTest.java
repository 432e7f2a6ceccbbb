package dev.kvmmp.cli.reproduce;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvmmp.proto.v1.ExperimentSpec;
import dev.kvmmp.proto.v1.GuestFacts;
import dev.kvmmp.proto.v1.IpiHalt;
import dev.kvmmp.proto.v1.KnobValue;
import dev.kvmmp.proto.v1.WorkerInfo;
import dev.kvmmp.proto.v1.Workload;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SeedChecksTest {

  private static final WorkerInfo TICKLESS = worker("idle", true);

  @Test
  void aTickModeNoWorkerRunsIsNotTestableAndSaysWhichModeTheyAllRun() {
    assertThat(SeedChecks.whyNotTestable(SyntheticRuns.tickSpec(), List.of(TICKLESS, TICKLESS),
        Optional.empty()))
        .contains("all workers run the same tick mode (idle-tickless)");
  }

  @Test
  void bothTickModesInTheFleetMakeF4Testable() {
    assertThat(SeedChecks.whyNotTestable(SyntheticRuns.tickSpec(),
        List.of(TICKLESS, worker("periodic", true)), Optional.empty())).isEmpty();
  }

  @Test
  void guestPollingNeedsAGuestWithHaltpoll() {
    assertThat(SeedChecks.whyNotTestable(SyntheticRuns.guestPollingSpec(), List.of(TICKLESS),
        Optional.empty())).isEmpty();
    assertThat(SeedChecks.whyNotTestable(SyntheticRuns.guestPollingSpec(),
        List.of(worker("idle", false)), Optional.empty()))
        .hasValueSatisfying(why -> assertThat(why).contains("guest_halt_poll_ns")
            .contains("guest-poll-0"));
  }

  @Test
  void theMicroVmNeedsAHostProbe() {
    ExperimentSpec spec = SyntheticRuns.hostPollingSpec().toBuilder()
        .addWorkloads(Workload.newBuilder().setIpiHalt(IpiHalt.getDefaultInstance())).build();
    assertThat(SeedChecks.whyNotTestable(spec, List.of(TICKLESS), Optional.of("not root")))
        .contains("no host-probe to run the micro-VM: not root");
    assertThat(SeedChecks.whyNotTestable(spec, List.of(TICKLESS), Optional.empty())).isEmpty();
  }

  @Test
  void aSeedThatComparesASettingNeedsTwoFleets() {
    assertThat(SeedChecks.problem(TalkSeed.GUEST_POLLING, ExperimentSpec.getDefaultInstance()))
        .contains("fleets: 0 fleet(s), needs 2: the first without the setting it tests (the "
            + "baseline), the second with it");
    assertThat(SeedChecks.problem(TalkSeed.GUEST_POLLING, SyntheticRuns.guestPollingSpec()))
        .isEmpty();
    assertThat(SeedChecks.problem(TalkSeed.PLACEMENT, SyntheticRuns.guestPollingSpec()))
        .hasValueSatisfying(problem -> assertThat(problem).startsWith("fleets: 2 fleets"));
  }

  @Test
  void guestPollingNeedsAWorkerThatMaySetIt() {
    assertThat(SeedChecks.whyNotTestable(SyntheticRuns.guestPollingSpec(),
        List.of(worker("idle", true, false)), Optional.empty()))
        .contains("no worker may set guest_halt_poll_ns (fleet 'guest-poll-0'): the worker "
            + "must run as root to set guest knobs");
    assertThat(SeedChecks.whyNotTestable(SyntheticRuns.guestPollingSpec(),
        List.of(worker("idle", true, false), TICKLESS), Optional.empty())).isEmpty();
  }

  private static WorkerInfo worker(String tickMode, boolean haltpoll) {
    return worker(tickMode, haltpoll, true);
  }

  private static WorkerInfo worker(String tickMode, boolean haltpoll, boolean root) {
    GuestFacts.Builder facts = GuestFacts.newBuilder().setTickMode(tickMode);
    if (haltpoll) {
      facts.putHaltpollParams("guest_halt_poll_ns", "0");
      facts.addGuestKnobs(KnobValue.newBuilder().setName("guest_halt_poll_ns").setValue("0")
          .setWritable(root));
    }
    return WorkerInfo.newBuilder().setFacts(facts).putLabels("nohz", tickMode).build();
  }
}

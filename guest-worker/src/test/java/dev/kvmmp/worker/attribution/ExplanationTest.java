package dev.kvmmp.worker.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvmmp.proto.v1.GuestDeltas;
import dev.kvmmp.proto.v1.GuestProfile;
import dev.kvmmp.proto.v1.IdleStateDelta;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExplanationTest {

  private static GuestDeltas counts(long icr, long timer, long halts, long polls) {
    return GuestDeltas.newBuilder().putAllEvents(Map.of(
        CountedEvent.MSR_ICR, icr,
        CountedEvent.MSR_TSC_DEADLINE, timer,
        CountedEvent.IDLE_PREFIX + "haltpoll idle", halts,
        CountedEvent.IDLE_PREFIX + "POLL", polls)).build();
  }

  @Test
  void crossVcpuRoundTripsThatHaltAreCalledSo() {
    assertThat(Explanation.explain(counts(2000, 2300, 1000, 0), 1000)).isEqualTo(
        "2.0 IPIs, 2.3 timer writes, 1.0 HLT, 0.0 POLL per transaction: cross-vCPU wake-ups "
            + "of halted vCPUs dominate; the timer is re-armed around idle (tickless guest)");
  }

  @Test
  void pollingThatCatchesTheWakeUpsIsCalledSo() {
    assertThat(Explanation.explain(counts(2000, 20, 10, 1000), 1000)).endsWith(
        "cross-vCPU wake-ups, caught by polling instead of halting");
  }

  @Test
  void aPollingVcpuIsWokenWithoutAnIpi() {
    assertThat(Explanation.explain(counts(2, 3, 1, 1000), 1000)).endsWith(
        "no IPIs and no halts: the idle vCPU polls, and a polling vCPU is woken without an IPI");
  }

  @Test
  void idleKnobsAreNotCreditedInRunsThatNeverWentIdle() {
    GuestProfile profile = GuestProfile.newBuilder().setGuestHaltPollNs(200_000)
        .addDisabledIdleStates("haltpoll idle").build();

    assertThat(KnobVerdicts.judge(profile, "haltpoll", counts(0, 0, 0, 0), 1000)).containsExactly(
        "'haltpoll idle' state disabled: not judged, the vCPUs did not go idle in this run",
        "guest_halt_poll_ns=200000: not judged, the vCPUs did not go idle in this run");
  }

  @Test
  void sameVcpuRoundTripsShowNeitherIpisNorHalts() {
    assertThat(Explanation.explain(counts(3, 1, 2, 0), 1000)).isEqualTo(
        "0.0 IPIs, 0.0 timer writes, 0.0 HLT, 0.0 POLL per transaction: no IPIs and no halts: "
            + "wake-ups stay on one vCPU");
  }

  @Test
  void saysWhyThereIsNoExplanationWhenCountsAreMissing() {
    GuestDeltas nothing = GuestDeltas.newBuilder()
        .addMissingEvents("msr:write_msr/0x830 (no such tracepoint)").build();

    assertThat(Explanation.explain(nothing, 1000)).isEqualTo("no explanation: the guest could "
        + "not count IPIs and idle entries here (msr:write_msr/0x830 (no such tracepoint))");
  }

  @Test
  void aDisabledStateThatStillGetsEnteredDidNotAct() {
    GuestProfile profile = GuestProfile.newBuilder().addDisabledIdleStates("haltpoll idle")
        .build();

    assertThat(KnobVerdicts.judge(profile, "haltpoll", counts(2000, 2000, 1000, 0), 1000))
        .containsExactly("'haltpoll idle' state disabled but 1.0 entries per transaction: the "
            + "haltpoll governor ignores it");
    assertThat(KnobVerdicts.judge(profile, "menu", counts(2000, 20, 0, 1000), 1000))
        .containsExactly("'haltpoll idle' state disabled: 0.00 entries per transaction (acted)");
  }

  @Test
  void haltPollingActsWhenHaltsGiveWayToPolls() {
    GuestProfile profile = GuestProfile.newBuilder().setGuestHaltPollNs(200_000)
        .setCpuidleGovernor("haltpoll").build();

    assertThat(KnobVerdicts.judge(profile, "haltpoll", counts(2000, 20, 20, 990), 1000))
        .containsExactly("guest_halt_poll_ns=200000: 0.02 HLT and 1.0 POLL per transaction "
            + "(acted: the guest polls instead of halting)", "cpuidle governor haltpoll in force");
    assertThat(KnobVerdicts.judge(profile, "menu", counts(2000, 20, 1000, 0), 1000).get(0))
        .startsWith("guest_halt_poll_ns=200000 but 1.0 HLT per transaction");
  }

  @Test
  void cpuidleCountersOutrankTheTracepointWhichAVcpuMayNotEmit() {
    // As on this machine: vCPU 1's idle entries are in its usage counters, not in the trace.
    GuestDeltas deltas = counts(2000, 2300, 1000, 0).toBuilder()
        .addIdleStates(IdleStateDelta.newBuilder().setName("POLL").setEntries(3))
        .addIdleStates(IdleStateDelta.newBuilder().setName("haltpoll idle").setEntries(1990))
        .build();

    assertThat(IdleEntries.byState(deltas)).containsExactly(Map.entry("POLL", 3L),
        Map.entry("haltpoll idle", 1990L));
    assertThat(Explanation.explain(deltas, 1000)).startsWith(
        "2.0 IPIs, 2.3 timer writes, 2.0 HLT, 0.0 POLL per transaction");
    assertThat(IdleEntries.byState(counts(2000, 2300, 1000, 7))).containsOnly(
        Map.entry("haltpoll idle", 1000L), Map.entry("POLL", 7L));
  }
}

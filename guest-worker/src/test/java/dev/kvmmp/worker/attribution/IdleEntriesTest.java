package dev.kvmmp.worker.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvmmp.proto.v1.GuestDeltas;
import dev.kvmmp.proto.v1.IdleStateDelta;
import org.junit.jupiter.api.Test;

class IdleEntriesTest {

  private static GuestDeltas idle(long traced, long counted) {
    return GuestDeltas.newBuilder()
        .putEvents(CountedEvent.IDLE_PREFIX + "haltpoll idle", traced)
        .addIdleStates(IdleStateDelta.newBuilder().setName("haltpoll idle").setEntries(counted))
        .build();
  }

  @Test
  void aTraceThatMissedIdleEntriesIsCalledOutWithWhatItMeans() {
    // This machine: one vCPU of two traces its idle entries.
    assertThat(IdleEntries.traceShortfall(idle(950, 1990))).hasValue("power:cpu_idle fired for "
        + "950 of the 1990 idle entries cpuidle counted (48%): this kernel does not trace every "
        + "idle entry, so what is traced in the idle path (timer MSR writes re-arming the tick) "
        + "is undercounted; halts are taken from the counters");
  }

  @Test
  void aTraceOfNearlyEveryEntryOrTooFewEntriesOrOneSourceSaysNothing() {
    assertThat(IdleEntries.traceShortfall(idle(1900, 1990))).isEmpty();
    assertThat(IdleEntries.traceShortfall(idle(10, 99))).isEmpty();
    assertThat(IdleEntries.traceShortfall(idle(0, 0))).isEmpty();
    assertThat(IdleEntries.traceShortfall(GuestDeltas.newBuilder()
        .addIdleStates(IdleStateDelta.newBuilder().setName("haltpoll idle").setEntries(1990))
        .build())).as("not traced at all: no tracepoint to judge").isEmpty();
  }
}

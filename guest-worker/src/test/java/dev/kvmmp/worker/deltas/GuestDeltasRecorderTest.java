package dev.kvmmp.worker.deltas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvmmp.proto.v1.GuestDeltas;
import dev.kvmmp.worker.placement.PinnedThread;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

class GuestDeltasRecorderTest {

  @Test
  void countsThisMachinesTimerInterruptsAndOurOwnSwitchesOverAWindow() {
    GuestDeltasRecorder recorder = new GuestDeltasRecorder(Path.of("/proc"), List.of(0, 1));
    recorder.involve(PinnedThread.currentTid());

    recorder.windowOpens();
    for (int i = 0; i < 50; i++) {
      LockSupport.parkNanos(1_000_000);
    }
    recorder.windowClosed();
    GuestDeltas deltas = recorder.deltas();

    assertThat(deltas.getPerCpuList()).hasSize(2);
    assertThat(deltas.getLocalTimerInterrupts()).isEqualTo(
        deltas.getPerCpu(0).getLocalTimerInterrupts()
            + deltas.getPerCpu(1).getLocalTimerInterrupts());
    assertThat(deltas.getContextSwitches()).as("50 sleeps, 50 switches at least")
        .isGreaterThanOrEqualTo(50);
    assertThat(deltas.getWorkerCpuNs()).as("50 wake-ups cost some CPU").isPositive();
  }

  @Test
  void aWindowThatNeverClosedHasNoDeltas() {
    GuestDeltasRecorder recorder = new GuestDeltasRecorder(Path.of("/proc"), List.of(0));

    recorder.windowOpens();

    assertThat(recorder.deltas()).isEqualTo(GuestDeltas.getDefaultInstance());
  }
}

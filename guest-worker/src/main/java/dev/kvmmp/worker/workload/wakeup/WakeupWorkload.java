package dev.kvmmp.worker.workload.wakeup;

import com.google.protobuf.util.Durations;
import dev.kvmmp.proto.v1.Wakeup;
import dev.kvmmp.spec.ExperimentSpecDefaults;
import dev.kvmmp.worker.placement.PinnedThread;
import dev.kvmmp.worker.workload.ClosedLoop;
import dev.kvmmp.worker.workload.Outcome;
import dev.kvmmp.worker.workload.PeerThread;
import dev.kvmmp.worker.workload.RunContext;
import dev.kvmmp.worker.workload.SelfTimed;
import dev.kvmmp.worker.workload.Workload;
import dev.kvmmp.worker.workload.WorkloadException;
import java.io.IOException;
import java.time.Duration;

/**
 * The guest's view of the IPI-to-halt benchmark: a waiter blocks in the kernel (park, a futex);
 * after a random delay, long enough for its vCPU to go idle, a signaller wakes it. A
 * transaction's latency runs from the signaller's timestamp just before the unpark to the
 * waiter's just after park returns. The waiter is the calling thread, placed as the plan's
 * client; the signaller is a thread of its own, placed as its server.
 */
public final class WakeupWorkload implements Workload {

  private record WaiterSide(ClosedLoop.Measurement measurement, boolean stayedPinned) {}

  @Override
  public String kind() {
    return "wakeup";
  }

  @Override
  public Outcome run(RunContext context) throws WorkloadException {
    try {
      return run(context, delays(context.run().getWorkload().getWakeup()));
    } catch (IOException e) {
      throw new WorkloadException("wakeup failed: " + e.getMessage(), e);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new WorkloadException("wakeup: " + e.getMessage(), e);
    }
  }

  private Outcome run(RunContext context, DelaySchedule delays)
      throws IOException, WorkloadException {
    WakeupHandshake handshake = new WakeupHandshake();
    PeerThread signaller = PeerThread.start(context, kind(), "signaller", handshake::close,
        () -> {
          // The delay after the waiter is seen parking gives its vCPU time to go idle (halt),
          // so that each wake-up is the expensive kind this workload measures.
          while (handshake.awaitWaiter() && handshake.pause(delays.nextNanos())) {
            handshake.wake();
          }
        });
    WaiterSide waiter = signaller.measureAgainst(() -> measure(context, handshake), "wakeup");
    return new Outcome(waiter.measurement(),
        context.placement().check(waiter.stayedPinned(), signaller.stayedPinned()));
  }

  private WaiterSide measure(RunContext context, WakeupHandshake handshake)
      throws IOException, WorkloadException {
    try (PinnedThread pinned = context.placement().pinClient()) {
      context.tasks().involve(pinned.tid());
      SelfTimed wakeup = handshake::awaitWakeup;
      ClosedLoop.Measurement measurement = ClosedLoop.run(wakeup, context.window(),
          context.control(), context.observer());
      return new WaiterSide(measurement, pinned.stillPinned());
    }
  }

  /** The spec's delays, unset ones at their documented defaults. */
  private static DelaySchedule delays(Wakeup spec) {
    return DelaySchedule.uniform(
        duration(spec.hasMinDelay() ? spec.getMinDelay()
            : ExperimentSpecDefaults.WAKEUP_MIN_DELAY),
        duration(spec.hasMaxDelay() ? spec.getMaxDelay()
            : ExperimentSpecDefaults.WAKEUP_MAX_DELAY));
  }

  private static Duration duration(com.google.protobuf.Duration duration) {
    return Duration.ofNanos(Durations.toNanos(duration));
  }
}

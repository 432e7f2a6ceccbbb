package dev.kvmmp.worker.workload.wakeup;

import com.google.protobuf.util.Durations;
import dev.kvmmp.proto.v1.Wakeup;
import dev.kvmmp.spec.ExperimentSpecDefaults;
import dev.kvmmp.worker.placement.PinnedThread;
import dev.kvmmp.worker.placement.PlacementPlan;
import dev.kvmmp.worker.workload.ClosedLoop;
import dev.kvmmp.worker.workload.Outcome;
import dev.kvmmp.worker.workload.RunContext;
import dev.kvmmp.worker.workload.SelfTimed;
import dev.kvmmp.worker.workload.Workload;
import dev.kvmmp.worker.workload.WorkloadException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The guest's view of the IPI-to-halt benchmark: a waiter blocks in the kernel (park, a futex);
 * after a random delay, long enough for its vCPU to go idle, a signaller wakes it. A
 * transaction's latency runs from the signaller's timestamp just before the unpark to the
 * waiter's just after park returns. The waiter is the calling thread, placed as the plan's
 * client; the signaller is a thread of its own, placed as its server.
 */
public final class WakeupWorkload implements Workload {

  private static final Duration SIGNALLER_STOP_TIMEOUT = Duration.ofSeconds(5);

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
    PlacementPlan plan = context.placement();
    WakeupHandshake handshake = new WakeupHandshake();
    WakeupSignaller signaller = new WakeupSignaller(handshake, delays, plan::pinServer,
        context.tasks()::involve);
    Thread signallerThread = new Thread(signaller, "wakeup-signaller-" + context.run().getId());
    signallerThread.setDaemon(true);
    signallerThread.start();
    WaiterSide waiter;
    try {
      waiter = measure(context, handshake);
    } catch (IOException e) {
      // The waiter only sees that the signaller went away; the signaller knows why.
      throw signaller.failure() != null ? signaller.failure() : e;
    } finally {
      // Closing wakes the signaller wherever it waits, so it returns; also on failure and
      // cancellation, and when this thread was interrupted.
      handshake.close();
      awaitExit(signallerThread, SIGNALLER_STOP_TIMEOUT);
    }
    if (signallerThread.isAlive()) {
      throw new WorkloadException("wakeup: the signaller thread did not stop within "
          + SIGNALLER_STOP_TIMEOUT.toSeconds() + " s");
    }
    if (signaller.failure() != null) {
      throw signaller.failure();
    }
    return new Outcome(waiter.measurement(),
        plan.check(waiter.stayedPinned(), signaller.stayedPinned()));
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

  /**
   * Waits up to {@code timeout} for the thread to end, also when this thread is interrupted (a
   * run stopped at its deadline must still not leave its signaller behind). Keeps the interrupt.
   */
  private static void awaitExit(Thread thread, Duration timeout) {
    boolean interrupted = Thread.interrupted();
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      for (long left = timeout.toNanos(); thread.isAlive() && left > 0;
          left = deadline - System.nanoTime()) {
        try {
          TimeUnit.NANOSECONDS.timedJoin(thread, left);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}

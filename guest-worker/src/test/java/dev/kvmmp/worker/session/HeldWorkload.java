package dev.kvmmp.worker.session;

import dev.kvmmp.proto.v1.PlacementCheck;
import dev.kvmmp.worker.workload.ClosedLoop;
import dev.kvmmp.worker.workload.Outcome;
import dev.kvmmp.worker.workload.RunContext;
import dev.kvmmp.worker.workload.Workload;
import dev.kvmmp.worker.workload.WorkloadException;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * A workload for tests of the worker's session, run by the real closed loop: a round trip costs
 * nothing, except in the measured window while the test holds the run, when it waits (checking
 * for cancellation) until released. Counts its round trips, so a test sees whether the loop is
 * measuring.
 */
final class HeldWorkload implements Workload {

  private volatile boolean held;
  private final AtomicLong roundTrips = new AtomicLong();

  @Override
  public String kind() {
    return "condvar";
  }

  /** From now on a measured round trip waits until {@link #release()}: the run stays in hand. */
  void hold() {
    held = true;
  }

  void release() {
    held = false;
  }

  long roundTrips() {
    return roundTrips.get();
  }

  private static boolean measuring(RunContext context) {
    return context.control().phase().equals("measure");
  }

  @Override
  public Outcome run(RunContext context) throws WorkloadException {
    try {
      return new Outcome(ClosedLoop.run(() -> {
        roundTrips.incrementAndGet();
        while (held && measuring(context) && !context.control().cancelled()) {
          LockSupport.parkNanos(1_000_000);
        }
      }, context.window(), context.control(), context.observer()),
          PlacementCheck.getDefaultInstance());
    } catch (IOException e) {
      throw new WorkloadException(e.getMessage(), e);
    }
  }
}

package dev.kvmmp.worker.workload.condvar;

import dev.kvmmp.proto.v1.CondvarPrimitive;
import dev.kvmmp.worker.placement.PinnedThread;
import dev.kvmmp.worker.placement.PlacementPlan;
import dev.kvmmp.worker.workload.ClosedLoop;
import dev.kvmmp.worker.workload.Outcome;
import dev.kvmmp.worker.workload.RoundTrip;
import dev.kvmmp.worker.workload.RunContext;
import dev.kvmmp.worker.workload.Workload;
import dev.kvmmp.worker.workload.WorkloadException;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Two threads pass a token back and forth through a wait/signal primitive (park, a lock's
 * condition, a monitor, or a pair of pipes). One round trip: the client, the calling thread,
 * hands the token to the partner, a thread of its own, and waits until it comes back. Placed as
 * the plan says: the client as its client side, the partner as its server side.
 */
public final class CondvarWorkload implements Workload {

  private static final Duration PARTNER_STOP_TIMEOUT = Duration.ofSeconds(5);

  private record ClientSide(ClosedLoop.Measurement measurement, boolean stayedPinned) {}

  @Override
  public String kind() {
    return "condvar";
  }

  @Override
  public Outcome run(RunContext context) throws WorkloadException {
    CondvarPrimitive primitive = context.run().getWorkload().getCondvar().getPrimitive();
    String what = "condvar (" + name(primitive) + ")";
    try (TokenPassing tokens = TokenPassing.open(primitive)) {
      return run(context, tokens, what);
    } catch (IOException e) {
      throw new WorkloadException(what + " failed: " + e.getMessage(), e);
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new WorkloadException(what + ": " + e.getMessage(), e);
    }
  }

  private Outcome run(RunContext context, TokenPassing tokens, String what)
      throws IOException, WorkloadException {
    PlacementPlan plan = context.placement();
    CondvarPartner partner = new CondvarPartner(tokens, plan::pinServer,
        context.tasks()::involve);
    Thread partnerThread = new Thread(partner, "condvar-partner-" + context.run().getId());
    partnerThread.setDaemon(true);
    partnerThread.start();
    ClientSide client;
    try {
      client = measure(context, tokens);
    } catch (IOException e) {
      // The client only sees that the partner went away; the partner knows why.
      throw partner.failure() != null ? partner.failure() : e;
    } finally {
      // Closing wakes the partner wherever it waits, so it returns; also on failure and
      // cancellation, and when this thread was interrupted.
      tokens.close();
      awaitExit(partnerThread, PARTNER_STOP_TIMEOUT);
    }
    if (partnerThread.isAlive()) {
      throw new WorkloadException(what + ": the partner thread did not stop within "
          + PARTNER_STOP_TIMEOUT.toSeconds() + " s");
    }
    if (partner.failure() != null) {
      throw partner.failure();
    }
    return new Outcome(client.measurement(),
        plan.check(client.stayedPinned(), partner.stayedPinned()));
  }

  private ClientSide measure(RunContext context, TokenPassing tokens)
      throws IOException, WorkloadException {
    try (PinnedThread pinned = context.placement().pinClient()) {
      context.tasks().involve(pinned.tid());
      RoundTrip roundTrip = tokens::pass;
      ClosedLoop.Measurement measurement = ClosedLoop.run(roundTrip, context.window(),
          context.control(), context.observer());
      return new ClientSide(measurement, pinned.stillPinned());
    }
  }

  /**
   * Waits up to {@code timeout} for the thread to end, also when this thread is interrupted (a
   * run stopped at its deadline must still not leave its partner behind). Keeps the interrupt.
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

  /** "park", "condition", ...: the spec's own word for the primitive. */
  private static String name(CondvarPrimitive primitive) {
    return primitive == CondvarPrimitive.CONDVAR_PRIMITIVE_UNSPECIFIED ? "park"
        : primitive.name().replace("CONDVAR_PRIMITIVE_", "").toLowerCase(Locale.ROOT);
  }
}

package dev.kvmmp.worker.workload.condvar;

import dev.kvmmp.proto.v1.CondvarPrimitive;
import dev.kvmmp.worker.placement.PinnedThread;
import dev.kvmmp.worker.workload.ClosedLoop;
import dev.kvmmp.worker.workload.Outcome;
import dev.kvmmp.worker.workload.PeerThread;
import dev.kvmmp.worker.workload.RoundTrip;
import dev.kvmmp.worker.workload.RunContext;
import dev.kvmmp.worker.workload.Workload;
import dev.kvmmp.worker.workload.WorkloadException;
import java.io.IOException;
import java.util.Locale;

/**
 * Two threads pass a token back and forth through a wait/signal primitive (park, a lock's
 * condition, a monitor, or a pair of pipes). One round trip: the client, the calling thread,
 * hands the token to the partner, a thread of its own, and waits until it comes back. Placed as
 * the plan says: the client as its client side, the partner as its server side.
 */
public final class CondvarWorkload implements Workload {

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
    PeerThread partner = PeerThread.start(context, kind(), "partner", tokens::close,
        () -> {
          while (tokens.passBack()) {
            // Each pass is the whole job; the loop ends when the exchange closes.
          }
        });
    ClientSide client = partner.measureAgainst(() -> measure(context, tokens), what);
    return new Outcome(client.measurement(),
        context.placement().check(client.stayedPinned(), partner.stayedPinned()));
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

  /** "park", "condition", ...: the spec's own word for the primitive. */
  private static String name(CondvarPrimitive primitive) {
    return primitive == CondvarPrimitive.CONDVAR_PRIMITIVE_UNSPECIFIED ? "park"
        : primitive.name().replace("CONDVAR_PRIMITIVE_", "").toLowerCase(Locale.ROOT);
  }
}

package dev.kvmmp.worker.workload.condvar;

import dev.kvmmp.proto.v1.CondvarPrimitive;
import java.io.IOException;

/**
 * A wait/signal primitive that two threads pass a token through: the client hands it over and
 * waits for it to come back, the partner waits for it and hands it back. Neither side allocates
 * per pass, so that a round trip measures the primitive and not the garbage collector.
 */
interface TokenPassing extends AutoCloseable {

  /**
   * On the client: hands the token to the partner and waits until it comes back.
   *
   * @throws java.io.InterruptedIOException when the client is interrupted while it waits; its
   *     interrupt status is kept
   * @throws IOException when the exchange was closed (the partner stopped) while it waits
   */
  void pass() throws IOException;

  /**
   * On the partner: waits for the token and hands it back.
   *
   * @return false once the exchange is closed: the partner should return
   */
  boolean passBack() throws IOException;

  /**
   * Ends the exchange from any thread, waking both sides wherever they wait, and releases what
   * the primitive holds. Idempotent.
   */
  @Override
  void close();

  /** The primitive a spec names; unspecified means park, the documented default. */
  static TokenPassing open(CondvarPrimitive primitive) throws IOException {
    return switch (primitive) {
      case CONDVAR_PRIMITIVE_CONDITION -> new ConditionTokens();
      case CONDVAR_PRIMITIVE_MONITOR -> new MonitorTokens();
      case CONDVAR_PRIMITIVE_PIPE -> PipeTokens.open();
      case CONDVAR_PRIMITIVE_PARK, CONDVAR_PRIMITIVE_UNSPECIFIED -> new ParkTokens();
      case UNRECOGNIZED -> throw new IllegalArgumentException(
          "condvar.primitive: unknown value, expected one of park, condition, monitor, pipe");
    };
  }
}

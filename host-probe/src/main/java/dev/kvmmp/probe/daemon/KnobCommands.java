package dev.kvmmp.probe.daemon;

import dev.kvmmp.knobs.AppliedKnobs;
import dev.kvmmp.knobs.KnobException;
import dev.kvmmp.probe.daemon.ProbeMetrics.KnobOutcome;
import dev.kvmmp.probe.knobs.HostKnobs;
import dev.kvmmp.proto.v1.KnobValue;
import dev.kvmmp.proto.v1.KnobsApplied;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's knob requests on this host: one set of knobs applied at a time, held until
 * a restore, the end of the session that applied them, or the probe's shutdown. A second apply
 * while knobs are held is refused: it would have to put the first back, and a refusal must
 * leave everything as it was.
 */
final class KnobCommands {

  private static final Logger log = LoggerFactory.getLogger(KnobCommands.class);

  private final HostKnobs knobs;
  private final ProbeMetrics metrics;
  private AppliedKnobs held = AppliedKnobs.none();
  private String heldFor = "";

  KnobCommands(HostKnobs knobs, ProbeMetrics metrics) {
    this.knobs = knobs;
    this.metrics = metrics;
  }

  List<String> allowed() {
    return knobs.allowed();
  }

  /** The knobs' values now, for every sample. */
  List<KnobValue> current() {
    return knobs.current();
  }

  synchronized KnobsApplied apply(String requestId, dev.kvmmp.proto.v1.HostKnobs requested) {
    KnobsApplied.Builder answer = KnobsApplied.newBuilder().setRequestId(requestId);
    if (!held.values().isEmpty()) {
      metrics.knobRequest("apply", KnobOutcome.REFUSED);
      return answer.setError("host knobs set by request " + heldFor + " ("
          + names(held.values()) + ") are still applied: send restore_knobs first; nothing "
          + "was changed").build();
    }
    try {
      held = knobs.apply(requested);
      heldFor = requestId;
      metrics.knobRequest("apply", KnobOutcome.APPLIED);
      if (!held.values().isEmpty()) {
        log.info("request {}: host knobs set: {}", requestId, values(held.values()));
      }
      return answer.addAllValues(held.values()).build();
    } catch (KnobException e) {
      metrics.knobRequest("apply", KnobOutcome.REFUSED);
      log.info("request {}: host knobs refused: {}", requestId, e.getMessage());
      return answer.setError(e.getMessage()).build();
    }
  }

  /** Puts back what is held; the answer lists the restored knobs as read back. */
  synchronized KnobsApplied restore(String requestId) {
    KnobsApplied.Builder answer = KnobsApplied.newBuilder().setRequestId(requestId);
    Set<String> names = held.values().stream().map(KnobValue::getName)
        .collect(Collectors.toSet());
    try {
      putBack();
      metrics.knobRequest("restore", KnobOutcome.RESTORED);
      return answer.addAllValues(knobs.current().stream()
          .filter(value -> names.contains(value.getName())).toList()).build();
    } catch (KnobException e) {
      metrics.knobRequest("restore", KnobOutcome.FAILED);
      return answer.setError(e.getMessage()).build();
    }
  }

  /**
   * Puts back what is held when the probe stops or loses its coordinator; logs what it could
   * not, and never throws: the journal then keeps the originals for the next start.
   */
  synchronized void restoreQuietly(String why) {
    if (held.values().isEmpty()) {
      return;
    }
    try {
      putBack();
      log.info("{}: host knobs put back", why);
    } catch (KnobException e) {
      log.error("{}: {}", why, e.getMessage());
    }
  }

  private void putBack() throws KnobException {
    held.close();
    held = AppliedKnobs.none();
    heldFor = "";
  }

  private static String names(List<KnobValue> values) {
    return values.stream().map(KnobValue::getName).collect(Collectors.joining(", "));
  }

  private static String values(List<KnobValue> values) {
    return values.stream().map(v -> v.getName() + "=" + v.getValue())
        .collect(Collectors.joining(", "));
  }
}

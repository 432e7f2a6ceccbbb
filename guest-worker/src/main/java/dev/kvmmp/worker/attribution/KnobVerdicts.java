package dev.kvmmp.worker.attribution;

import dev.kvmmp.proto.v1.GuestDeltas;
import dev.kvmmp.proto.v1.GuestProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Whether each guest knob a run set acted, judged from the run's own counts: a knob that is set
 * is not necessarily a knob that acts. Under the haltpoll governor, for instance, disabling the
 * HLT-class idle state changes nothing; this machine showed its halts per transaction unchanged.
 */
public final class KnobVerdicts {

  private KnobVerdicts() {}

  /**
   * @param governor the cpuidle governor in force during the run (read back)
   */
  public static List<String> judge(GuestProfile profile, String governor, GuestDeltas deltas,
      long transactions) {
    List<String> verdicts = new ArrayList<>();
    double tx = Math.max(1, transactions);
    Explanation.Figures figures = Explanation.figures(deltas, transactions);
    // A knob of the idle path cannot act in a run whose vCPUs never go idle (both sides on one
    // busy vCPU): say so rather than credit it.
    boolean wentIdle = figures.haltEntries() + figures.pollEntries() >= Explanation.ABSENT;
    Map<String, Long> idleEntries = IdleEntries.byState(deltas);
    for (String state : profile.getDisabledIdleStatesList()) {
      if (!idleEntries.containsKey(state)) {
        verdicts.add(String.format(Locale.ROOT, "'%s' state disabled: not judged (its entries "
            + "could not be counted)", state));
        continue;
      }
      double entries = idleEntries.get(state) / tx;
      if (!wentIdle) {
        verdicts.add(String.format(Locale.ROOT, "'%s' state disabled: not judged, the vCPUs did "
            + "not go idle in this run", state));
        continue;
      }
      verdicts.add(entries >= Explanation.EVERY_TRANSACTION
          ? String.format(Locale.ROOT, "'%s' state disabled but %.1f entries per transaction: "
              + "the %s governor ignores it", state, entries, governor)
          : String.format(Locale.ROOT, "'%s' state disabled: %.2f entries per transaction "
              + "(acted)", state, entries));
    }
    if (profile.hasGuestHaltPollNs()) {
      long ns = profile.getGuestHaltPollNs();
      if (ns == 0) {
        verdicts.add(String.format(Locale.ROOT, "guest_halt_poll_ns=0: no guest polling; %.1f "
            + "HLT per transaction", figures.haltEntries()));
      } else if (!wentIdle) {
        verdicts.add(String.format(Locale.ROOT, "guest_halt_poll_ns=%d: not judged, the vCPUs "
            + "did not go idle in this run", ns));
      } else if (figures.haltEntries() < Explanation.EVERY_TRANSACTION) {
        verdicts.add(String.format(Locale.ROOT, "guest_halt_poll_ns=%d: %.2f HLT and %.1f POLL "
            + "per transaction (acted: the guest polls instead of halting)", ns,
            figures.haltEntries(), figures.pollEntries()));
      } else {
        verdicts.add(String.format(Locale.ROOT, "guest_halt_poll_ns=%d but %.1f HLT per "
            + "transaction: polling did not catch the wake-ups (the window is shorter than "
            + "they take, or the %s governor does not use it)", ns, figures.haltEntries(),
            governor));
      }
    }
    if (!profile.getCpuidleGovernor().isEmpty()) {
      verdicts.add(profile.getCpuidleGovernor().equals(governor)
          ? "cpuidle governor " + governor + " in force"
          : "cpuidle governor " + profile.getCpuidleGovernor() + " asked, but " + governor
              + " in force");
    }
    return verdicts;
  }
}

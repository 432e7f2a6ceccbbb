package dev.kvmmp.worker.knobs;

import dev.kvmmp.knobs.AppliedKnobs;
import dev.kvmmp.proto.v1.GuestProfile;
import java.nio.file.Path;
import java.util.List;

/**
 * A stand-in for a worker killed mid-run (started by {@link GuestKnobsIT}): sets
 * {@link #PROFILE} on vCPUs 0 and 1 of this machine, prints {@code HOLDING}, and
 * holds them until killed. Arguments: the journal path. If nobody kills it within a minute it
 * puts the knobs back and exits, so that a lost child never leaves the machine changed.
 */
public final class HoldKnobsMain {

  /** Each kind of knob the issue names, with values whose effect is measurable here. */
  static final GuestProfile PROFILE = GuestProfile.newBuilder()
      .setGuestHaltPollNs(200_000)
      .setCpuidleGovernor("menu")
      .addDisabledIdleStates("haltpoll idle")
      .build();

  private HoldKnobsMain() {}

  public static void main(String[] args) throws Exception {
    try (AppliedKnobs applied = new GuestKnobs(Path.of("/"), Path.of(args[0]))
        .apply(PROFILE, List.of(0, 1))) {
      System.out.println("HOLDING " + applied.values().size());
      System.out.flush();
      Thread.sleep(60_000);
    }
  }
}

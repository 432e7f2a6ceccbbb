package dev.kvmmp.cli.reproduce;

/**
 * The experiments of {@code seeds/kvm-forum-2015/}, in the order they run, each with the
 * findings of the talk it tests.
 */
public enum TalkSeed {
  PLACEMENT("f1-f2-placement.yaml", "F1, F2: same-vCPU vs cross-vCPU"),
  GUEST_POLLING("f3a-guest-halt-polling.yaml", "F3(a): guest halt polling"),
  HOST_POLLING("f3b-host-halt-polling.yaml", "F3(b): host halt polling, micro-VM"),
  TICK_MODE("f4-tick-mode.yaml", "F4: tick mode");

  private final String fileName;
  private final String title;

  TalkSeed(String fileName, String title) {
    this.fileName = fileName;
    this.title = title;
  }

  /** The experiment's file in the seed directory. */
  public String fileName() {
    return fileName;
  }

  /** What the experiment is about, in progress lines and notes. */
  public String title() {
    return title;
  }
}

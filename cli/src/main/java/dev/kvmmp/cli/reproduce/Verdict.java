package dev.kvmmp.cli.reproduce;

/** What became of one finding of the talk on this machine. */
public enum Verdict {
  /** Measured, and the interval lies on the talk's side. */
  REPRODUCED("reproduced"),
  /** Measured, and the interval does not lie on the talk's side. */
  NOT_REPRODUCED("not reproduced"),
  /** This machine or fleet cannot test it (a missing tick mode, no /dev/kvm). */
  NOT_TESTABLE("not testable here"),
  /** Testable, but its runs did not happen: interrupted, or they failed. */
  NOT_MEASURED("not measured"),
  /** Measured for contrast beside a finding; the talk makes no claim about it. */
  CONTRAST("contrast");

  private final String words;

  Verdict(String words) {
    this.words = words;
  }

  /** The verdict as the table prints it. */
  public String words() {
    return words;
  }
}

package dev.kvmmp.cli;

/** What the kvmmp command's exit status means, for scripts and CI jobs. */
final class ExitCodes {

  /** Done, and every run succeeded. */
  static final int OK = 0;
  /** The experiment ran, but at least one run failed or was cancelled. */
  static final int RUNS_FAILED = 1;
  /** Bad input: a spec file or an argument was refused, nothing was sent or run. */
  static final int BAD_INPUT = 2;
  /** The coordinator could not be reached or failed. */
  static final int UNAVAILABLE = 3;

  private ExitCodes() {}
}

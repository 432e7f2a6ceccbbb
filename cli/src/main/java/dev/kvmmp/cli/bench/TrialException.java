package dev.kvmmp.cli.bench;

/** One side of a trial could not be measured; the message says which tool and why. */
public final class TrialException extends Exception {

  public TrialException(String message) {
    super(message);
  }

  public TrialException(String message, Throwable cause) {
    super(message, cause);
  }
}

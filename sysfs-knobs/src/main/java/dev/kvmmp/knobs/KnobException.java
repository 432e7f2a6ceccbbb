package dev.kvmmp.knobs;

/**
 * Knobs could not be set or put back. The message names the knob, the value and the
 * reason, and is shown to the user as the run's failure reason.
 */
public final class KnobException extends Exception {

  public KnobException(String message) {
    super(message);
  }

  public KnobException(String message, Throwable cause) {
    super(message, cause);
  }
}

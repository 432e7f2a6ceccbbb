package dev.kvmmp.cli.local;

/**
 * A part of {@code kvmmp local} could not start; the message is the whole explanation for the
 * user (what, where, and what to do), printed after {@code kvmmp local: }.
 */
public final class LocalStartException extends Exception {

  public LocalStartException(String message) {
    super(message);
  }

  public LocalStartException(String message, Throwable cause) {
    super(message, cause);
  }
}

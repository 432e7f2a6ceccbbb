package dev.kvmmp.coordinator.state;

/** The state log could not record or read: the broker is unreachable or refused the write. */
public final class StateLogException extends RuntimeException {

  public StateLogException(String message, Throwable cause) {
    super(message, cause);
  }
}

package dev.kvmmp.perf;

/** A perf counter could not be opened, filtered or read; the message names the call and errno. */
public final class PerfException extends Exception {

  public PerfException(String message) {
    super(message);
  }
}

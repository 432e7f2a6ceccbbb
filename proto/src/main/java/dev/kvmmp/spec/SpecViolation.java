package dev.kvmmp.spec;

import java.util.Objects;

/**
 * One thing wrong with an experiment spec: where, as a field path such as
 * {@code workloads[0].tcp_rr.request_bytes}, and what, naming the value and the limit.
 *
 * @param path field path built by {@link SpecPath}; empty when the problem concerns the whole spec
 * @param message what is wrong, e.g. {@code 0 is below the minimum 1}
 */
public record SpecViolation(String path, String message) {

  public SpecViolation {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }

  /** {@code path: message}, or just the message for a problem of the whole spec. */
  @Override
  public String toString() {
    return path.isEmpty() ? message : path + ": " + message;
  }
}

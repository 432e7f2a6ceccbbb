package dev.kvmmp.probe.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Optional;

/**
 * A QMP command failed: QEMU answered with an error, or its reply had a shape this client does not
 * understand. An {@link IOException} because callers treat it like a lost connection: the reading
 * is lost either way, and one {@code catch} covers both.
 */
public class QmpException extends IOException {

  private final String command;
  private final String errorClass;

  /** A reply the client could not use; the message names the command and what was unexpected. */
  public QmpException(String command, String message) {
    super(message);
    this.command = command;
    this.errorClass = null;
  }

  private QmpException(String command, String errorClass, String message) {
    super(message);
    this.command = command;
    this.errorClass = errorClass;
  }

  /** QEMU's {@code {"error": {"class": ..., "desc": ...}}} reply to {@code command}. */
  static QmpException errorReply(String command, JsonNode error) {
    String errorClass = error.path("class").asText("(no class)");
    String desc = error.path("desc").asText("(no description)");
    return new QmpException(command, errorClass,
        "QMP command '" + command + "' failed: " + errorClass + ": " + desc);
  }

  /** The QMP command that failed. */
  public String command() {
    return command;
  }

  /** QEMU's error class (e.g. {@code GenericError}) when QEMU itself reported the error. */
  public Optional<String> errorClass() {
    return Optional.ofNullable(errorClass);
  }
}

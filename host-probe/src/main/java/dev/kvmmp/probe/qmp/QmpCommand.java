package dev.kvmmp.probe.qmp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One QMP command for {@link QmpClient#executeAll}: its name and arguments (null for none). The
 * request is serialized once, when first sent, and kept: do not change the arguments afterwards.
 */
public final class QmpCommand {

  private final String name;
  private final ObjectNode arguments;
  /** The request without its id: {@code {"execute": ..., "arguments": ...}} less the last brace. */
  private volatile String requestPrefix;

  public QmpCommand(String name, ObjectNode arguments) {
    this.name = Objects.requireNonNull(name, "name");
    this.arguments = arguments;
  }

  public String name() {
    return name;
  }

  /** The arguments, or null for none. */
  public ObjectNode arguments() {
    return arguments;
  }

  /**
   * The request line with {@code id}, which must need no JSON escaping (the client's ids do not):
   * the same commands are sent to every VM every sample.
   */
  String request(String id) throws JsonProcessingException {
    String prefix = requestPrefix;
    if (prefix == null) {
      ObjectNode request = QmpMessage.JSON.createObjectNode().put("execute", name);
      if (arguments != null) {
        request.set("arguments", arguments);
      }
      String json = QmpMessage.JSON.writeValueAsString(request);
      prefix = json.substring(0, json.length() - 1);
      requestPrefix = prefix;
    }
    return prefix + ",\"id\":\"" + id + "\"}";
  }

  @Override
  public String toString() {
    return "QmpCommand[" + name + (arguments == null ? "" : " " + arguments) + "]";
  }
}

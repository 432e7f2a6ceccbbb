package dev.kvmmp.probe.qmp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * One QMP command for {@link QmpClient#executeAll}: its name and arguments (null for none). The
 * arguments are serialized when sent, not copied: do not change them meanwhile.
 */
public record QmpCommand(String name, ObjectNode arguments) {

  public QmpCommand {
    Objects.requireNonNull(name, "name");
  }
}

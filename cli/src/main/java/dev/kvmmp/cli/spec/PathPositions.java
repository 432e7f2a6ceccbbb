package dev.kvmmp.cli.spec;

import java.util.HashMap;
import java.util.Map;

/**
 * Where in the file each spec field path was written, so that a violation found on the proto (which
 * knows no lines) can point into the file. A path never written, such as a missing required field,
 * resolves to its nearest written ancestor: the start of the mapping that should have held it.
 */
final class PathPositions {

  private final Map<String, SourcePosition> positions = new HashMap<>();

  void record(String path, SourcePosition at) {
    positions.putIfAbsent(path, at);
  }

  /** Where {@code path} or its nearest recorded ancestor is; the file's start for the top level. */
  SourcePosition resolve(String path) {
    for (String p = path; !p.isEmpty(); p = parent(p)) {
      SourcePosition at = positions.get(p);
      if (at != null) {
        return at;
      }
    }
    return SourcePosition.START;
  }

  /** {@code a.b[2]} → {@code a.b}, {@code a.b} → {@code a}, {@code a['x.y']} → {@code a}. */
  static String parent(String path) {
    int cut;
    if (path.endsWith("']")) {
      cut = path.lastIndexOf("['");
    } else if (path.endsWith("]")) {
      cut = path.lastIndexOf('[');
    } else {
      cut = path.lastIndexOf('.');
    }
    return cut < 0 ? "" : path.substring(0, cut);
  }
}

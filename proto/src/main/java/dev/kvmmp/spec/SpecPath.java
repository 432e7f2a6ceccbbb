package dev.kvmmp.spec;

/**
 * Builds the field paths that {@link SpecViolation}s carry, so that the validator and whoever maps a
 * path back to a place in a file (the CLI's YAML reader) spell them the same way:
 * {@code workloads[0].tcp_rr.request_bytes}, {@code fleets[1].selector['vcpus']}.
 */
public final class SpecPath {

  private SpecPath() {}

  /** {@code parent.name}, or {@code name} at the top level (empty parent). */
  public static String field(String parent, String name) {
    return parent.isEmpty() ? name : parent + "." + name;
  }

  /** {@code parent[index]}: an entry of a repeated field. */
  public static String index(String parent, int index) {
    return parent + "[" + index + "]";
  }

  /**
   * {@code parent['key']}: an entry of a map field. Quoted because label keys may hold dots
   * ({@code host.vcpus}), which would otherwise read as nested fields.
   */
  public static String key(String parent, String key) {
    return parent + "['" + key + "']";
  }
}

package dev.kvmmp.cli.spec;

import java.util.List;

/**
 * A YAML value and where it starts: the tree {@link YamlTreeReader} builds, so that
 * {@link YamlToProto} can say where every problem is. Jackson's own tree forgets positions.
 */
sealed interface YamlNode {

  SourcePosition at();

  /** For "expected a mapping, got a list". */
  String kindName();

  /** {@code key: value} pairs in file order; duplicates kept, so the mapper can report them. */
  record Mapping(List<Entry> entries, SourcePosition at) implements YamlNode {
    public String kindName() {
      return "a mapping";
    }
  }

  record Entry(String key, SourcePosition keyAt, YamlNode value) {}

  record Sequence(List<YamlNode> items, SourcePosition at) implements YamlNode {
    public String kindName() {
      return "a list";
    }
  }

  /**
   * A single value: its text as written ({@code 0x10}, {@code yes}) and what YAML makes of it, one
   * of {@code null} (an empty value or {@code ~}), {@link Boolean}, {@link java.math.BigInteger},
   * or the text itself for strings and decimals.
   */
  record Scalar(String text, Object value, SourcePosition at) implements YamlNode {
    public String kindName() {
      return isNull() ? "nothing" : "a single value";
    }

    boolean isNull() {
      return value == null;
    }
  }
}

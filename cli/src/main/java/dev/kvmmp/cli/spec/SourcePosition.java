package dev.kvmmp.cli.spec;

/** A place in a text file, 1-based as editors show it. */
record SourcePosition(int line, int column) {

  /** Where problems about the whole file point. */
  static final SourcePosition START = new SourcePosition(1, 1);

  SourcePosition {
    if (line < 1 || column < 1) {
      throw new IllegalArgumentException("line and column start at 1, got " + line + ":" + column);
    }
  }

  @Override
  public String toString() {
    return line + ":" + column;
  }
}

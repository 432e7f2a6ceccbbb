package dev.kvmmp.cli.spec;

/**
 * One problem in a spec file, before it is rendered as {@code file:line:column: path: message}.
 *
 * @param path spec field path; empty for a problem of the whole file
 */
record SpecProblem(SourcePosition at, String path, String message) {

  String render(String file) {
    return file + ":" + at + ": " + (path.isEmpty() ? "" : path + ": ") + message;
  }
}

package dev.kvmmp.cli.spec;

/** The YAML parser gave up: nothing after this point can be trusted, so it is reported alone. */
final class YamlSyntaxException extends Exception {

  private final SourcePosition at;

  YamlSyntaxException(SourcePosition at, String message) {
    super(message);
    this.at = at;
  }

  SourcePosition at() {
    return at;
  }
}

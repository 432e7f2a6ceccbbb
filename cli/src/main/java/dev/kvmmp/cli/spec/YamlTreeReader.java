package dev.kvmmp.cli.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/** Reads one YAML document into {@link YamlNode}s with Jackson's streaming parser. */
final class YamlTreeReader {

  private static final YAMLFactory YAML = new YAMLFactory();

  private YamlTreeReader() {}

  /** The document's root, or {@code null} if the text holds no document (only comments, say). */
  static YamlNode read(String text) throws YamlSyntaxException {
    try (YAMLParser parser = YAML.createParser(text)) {
      if (parser.nextToken() == null) {
        return null;
      }
      YamlNode root = node(parser);
      if (parser.nextToken() != null) {
        throw new YamlSyntaxException(position(parser),
            "a second YAML document starts here; a spec file holds one");
      }
      return root;
    } catch (JsonProcessingException e) {
      throw syntaxError(e);
    } catch (IOException e) {
      throw new UncheckedIOException("reading YAML from a String", e);
    }
  }

  private static YamlNode node(YAMLParser parser) throws IOException, YamlSyntaxException {
    SourcePosition at = position(parser);
    if (parser.isCurrentAlias()) {
      // Jackson hands an alias over as the anchor's name, which would silently become the value.
      throw new YamlSyntaxException(at, "YAML aliases (*" + parser.getText()
          + ") are not supported in spec files; write the value out");
    }
    JsonToken token = parser.currentToken();
    switch (token) {
      case START_OBJECT -> {
        List<YamlNode.Entry> entries = new ArrayList<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String key = parser.currentName();
          SourcePosition keyAt = position(parser);
          parser.nextToken();
          entries.add(new YamlNode.Entry(key, keyAt, node(parser)));
        }
        return new YamlNode.Mapping(List.copyOf(entries), at);
      }
      case START_ARRAY -> {
        List<YamlNode> items = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          items.add(node(parser));
        }
        return new YamlNode.Sequence(List.copyOf(items), at);
      }
      case VALUE_NULL -> {
        return new YamlNode.Scalar(parser.getText(), null, at);
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return new YamlNode.Scalar(parser.getText(), token == JsonToken.VALUE_TRUE, at);
      }
      case VALUE_NUMBER_INT -> {
        return new YamlNode.Scalar(parser.getText(), parser.getBigIntegerValue(), at);
      }
      default -> {
        return new YamlNode.Scalar(parser.getText(), parser.getText(), at);
      }
    }
  }

  private static SourcePosition position(JsonParser parser) {
    JsonLocation location = parser.currentTokenLocation();
    return new SourcePosition(Math.max(1, location.getLineNr()), Math.max(1, location.getColumnNr()));
  }

  // SnakeYAML's own exception has the problem and where it is apart; Jackson's message is a
  // multi-line drawing of the same, which does not fit on one line of a problem list.
  private static YamlSyntaxException syntaxError(JsonProcessingException e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
        String message = marked.getProblem();
        if (marked.getContext() != null) {
          message += " (" + marked.getContext()
              + (marked.getContextMark() == null ? "" : " at " + position(marked.getContextMark()))
              + ")";
        }
        return new YamlSyntaxException(position(marked.getProblemMark()),
            "YAML syntax error: " + oneLine(message));
      }
    }
    JsonLocation location = e.getLocation();
    SourcePosition at = location == null
        ? SourcePosition.START
        : new SourcePosition(Math.max(1, location.getLineNr()), Math.max(1, location.getColumnNr()));
    return new YamlSyntaxException(at, "YAML syntax error: " + oneLine(e.getOriginalMessage()));
  }

  private static SourcePosition position(Mark mark) {
    return new SourcePosition(mark.getLine() + 1, mark.getColumn() + 1);
  }

  private static String oneLine(String text) {
    return text.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}

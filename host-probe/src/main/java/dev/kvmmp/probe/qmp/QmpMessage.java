package dev.kvmmp.probe.qmp;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * One line from QEMU, as {@link QmpClient} reads it: a reply (a return value or an error) or an
 * asynchronous event. The return value is read by a {@link QmpClient.ReturnReader} while the line
 * is parsed, so that a large reply need not become a tree first.
 */
record QmpMessage<T>(boolean hasReturn, T value, JsonNode error, String event, JsonNode id) {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_QUOTED_CHARS = 200;

  /**
   * Reads a line of {@code length} bytes, a reply to {@code command} or an event, from {@code
   * socket}; parsed from the bytes, with no string of them made unless to quote them in an error.
   *
   * @throws QmpException when the line is not a JSON object, or {@code reader} found its return
   *     value unexpected
   */
  static <T> QmpMessage<T> read(byte[] line, int length, QmpCommand command,
      QmpClient.ReturnReader<T> reader, Path socket) throws IOException {
    try (JsonParser parser = JSON.getFactory().createParser(line, 0, length)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw notAnObject(text(line, length), socket, command.name());
      }
      boolean hasReturn = false;
      T value = null;
      JsonNode error = null;
      String event = null;
      JsonNode id = null;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        parser.nextToken();
        switch (field) {
          case "return" -> {
            hasReturn = true;
            value = reader.read(parser, command);
          }
          case "error" -> error = parser.readValueAsTree();
          case "event" -> {
            JsonNode name = parser.readValueAsTree();
            event = name.asText();
          }
          case "id" -> id = parser.readValueAsTree();
          default -> parser.skipChildren();
        }
      }
      return new QmpMessage<>(hasReturn, value, error, event, id);
    } catch (JsonProcessingException e) {
      throw notJson(text(line, length), socket, command.name());
    }
  }

  /** The line of {@code length} bytes as text, for messages and for {@link #tree}. */
  static String text(byte[] line, int length) {
    return new String(line, 0, length, StandardCharsets.UTF_8);
  }

  /** {@code line} as a tree: the greeting, or a reply whose id is needed after all. */
  static JsonNode tree(String line, Path socket, String command) throws QmpException {
    try {
      JsonNode node = JSON.readTree(line);
      if (node == null || !node.isObject()) {
        throw notAnObject(line, socket, command);
      }
      return node;
    } catch (JsonProcessingException e) {
      throw notJson(line, socket, command);
    }
  }

  private static QmpException notAnObject(String line, Path socket, String command) {
    return new QmpException(command, socket + ": expected a JSON object while waiting for '"
        + command + "', got " + quote(line));
  }

  private static QmpException notJson(String line, Path socket, String command) {
    return new QmpException(command, socket + ": not JSON while waiting for '" + command + "': "
        + quote(line));
  }

  /** {@code text}, cut short enough for an error message. */
  static String quote(Object text) {
    String s = String.valueOf(text);
    return s.length() <= MAX_QUOTED_CHARS ? s : s.substring(0, MAX_QUOTED_CHARS) + "...";
  }
}

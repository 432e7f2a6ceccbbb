package dev.kvmmp.cli.reproduce;

import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text made safe for the report page: HTML-escaped text and attributes, JSON that can sit inside
 * a {@code <script>} element, and the inlined ECharts library.
 */
final class HtmlText {

  /** The webjar's path on the classpath; the version is the one cli/pom.xml names. */
  static final String ECHARTS = "META-INF/resources/webjars/echarts/5.3.1/dist/echarts.min.js";

  private static final Pattern SCRIPT_END = Pattern.compile("</(script)", Pattern.CASE_INSENSITIVE);

  /**
   * A {@code <} in a script element's text could close it ({@code </script>}) or open a comment
   * ({@code <!--}); escaped as \u003c inside JSON strings, the value is the same after parsing.
   */
  private static final ObjectMapper SCRIPT_JSON = new ObjectMapper(
      new JsonFactoryBuilder().characterEscapes(new ScriptSafeEscapes()).build());

  private HtmlText() {}

  /** {@code text} for an HTML text node or a quoted attribute value. */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /** {@code json} as text that can stand between {@code <script>} and {@code </script>}. */
  static String scriptJson(JsonNode json) {
    try {
      return SCRIPT_JSON.writeValueAsString(json);
    } catch (JsonProcessingException e) {
      // A tree built in memory always serialises; reaching here is a bug.
      throw new IllegalStateException("report chart data: cannot write JSON: " + e.getMessage(), e);
    }
  }

  /** The ECharts library's minified source, ready to be inlined in a script element. */
  static String echartsSource() {
    try (InputStream in = HtmlText.class.getClassLoader().getResourceAsStream(ECHARTS)) {
      if (in == null) {
        throw new IllegalStateException("report: " + ECHARTS + " is not on the classpath (the "
            + "org.webjars.npm:echarts dependency of kvmmp-cli is missing from lib/)");
      }
      String source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      // Only a string, regex or comment can hold "</script" in valid JS; "<\/" is the same there.
      return SCRIPT_END.matcher(source).replaceAll(Matcher.quoteReplacement("<\\/") + "$1");
    } catch (IOException e) {
      throw new UncheckedIOException("report: cannot read " + ECHARTS + " from the classpath", e);
    }
  }

  /** Jackson escapes: {@code <}, {@code >} and {@code &} as unicode escapes in JSON strings. */
  private static final class ScriptSafeEscapes extends CharacterEscapes {

    private final int[] ascii = standardAsciiEscapesForJSON();

    ScriptSafeEscapes() {
      ascii['<'] = ESCAPE_STANDARD;
      ascii['>'] = ESCAPE_STANDARD;
      ascii['&'] = ESCAPE_STANDARD;
    }

    @Override
    public int[] getEscapeCodesForAscii() {
      return ascii;
    }

    @Override
    public SerializableString getEscapeSequence(int ch) {
      return null;
    }
  }
}

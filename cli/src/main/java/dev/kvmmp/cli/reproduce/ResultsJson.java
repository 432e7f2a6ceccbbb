package dev.kvmmp.cli.reproduce;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * The results as JSON beside the HTML report, for scripts and tests: the same records, times
 * as ISO-8601 strings, unmeasured figures as NaN.
 */
public final class ResultsJson {

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .registerModule(new SimpleModule()
          .addSerializer(Instant.class, ToStringSerializer.instance)
          .addSerializer(Duration.class, ToStringSerializer.instance))
      .enable(SerializationFeature.INDENT_OUTPUT);

  private ResultsJson() {}

  public static void write(ReproduceResults results, Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    MAPPER.writeValue(file.toFile(), results);
  }
}

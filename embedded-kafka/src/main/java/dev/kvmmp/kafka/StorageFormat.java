package dev.kvmmp.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;

/**
 * Formats a KRaft log directory once, as {@code kafka-storage.sh format} does, and reads back the
 * cluster id it holds: a directory already formatted is used as it is, so its data survives
 * restarts.
 */
final class StorageFormat {

  private static final String META = "meta.properties";

  private StorageFormat() {}

  /**
   * Formats {@code logDir} with a new cluster id unless it holds a {@code meta.properties}.
   *
   * @param serverProperties the broker's properties file, as the storage tool reads it
   * @return the directory's cluster id
   */
  static String formatIfNeeded(Path logDir, Path serverProperties) throws IOException {
    if (!Files.exists(logDir.resolve(META))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      int status;
      try (PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8)) {
        status = StorageTool.execute(new String[] {"format", "-t", Uuid.randomUuid().toString(),
            "-c", serverProperties.toString()}, print);
      }
      if (status != 0) {
        throw new IOException("formatting Kafka storage in " + logDir + " failed with status "
            + status + ": " + out.toString(StandardCharsets.UTF_8).strip());
      }
    }
    return clusterId(logDir);
  }

  static String clusterId(Path logDir) throws IOException {
    Path meta = logDir.resolve(META);
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(meta)) {
      p.load(in);
    }
    String id = p.getProperty("cluster.id");
    if (id == null || id.isBlank()) {
      throw new IOException(meta + ": no cluster.id");
    }
    return id;
  }

  static void write(Properties properties, Path file) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      properties.store(out, "written by kvmmp EmbeddedKafka at each start");
    }
  }
}

package dev.kvmmp.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;

/**
 * What {@code ptsematest --json} reports for its first thread pair: the one-way latency from the
 * sender's mutex unlock to the receiver's lock returning (min, average, max, in us) and how many
 * samples the sender made. The JSON carries the average with two decimals; the console's is
 * rounded to a whole microsecond, too coarse for a few-microsecond latency.
 */
public record PtsematestOutput(double minUs, double avgUs, double maxUs, long samples) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public static PtsematestOutput parse(Path jsonFile) throws TrialException {
    JsonNode root;
    try {
      root = JSON.readTree(jsonFile.toFile());
    } catch (IOException e) {
      throw new TrialException("cannot read ptsematest's JSON result " + jsonFile + ": "
          + e.getMessage(), e);
    }
    JsonNode pair = root.path("thread").path("0");
    JsonNode receiver = pair.path("receiver");
    if (!receiver.path("avg").isNumber()) {
      throw new TrialException("ptsematest's JSON result " + jsonFile
          + " has no thread.0.receiver.avg");
    }
    long samples = pair.path("sender").path("samples").asLong();
    if (samples == 0) {
      throw new TrialException("ptsematest took no samples (" + jsonFile + ")");
    }
    return new PtsematestOutput(receiver.path("min").asDouble(), receiver.path("avg").asDouble(),
        receiver.path("max").asDouble(), samples);
  }
}

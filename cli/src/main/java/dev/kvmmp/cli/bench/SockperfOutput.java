package dev.kvmmp.cli.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the summary of {@code sockperf ping-pong --full-rtt}: its median, 99th percentile and
 * mean, all round trips in microseconds.
 */
public final class SockperfOutput {

  private static final Pattern ROUND_TRIP = Pattern.compile("Summary: Round trip is");
  private static final Pattern ONE_WAY = Pattern.compile("Summary: Latency is");
  private static final Pattern MEAN = Pattern.compile("avg-rtt=\\s*([0-9.]+)");

  private SockperfOutput() {}

  public static Figures parse(Path file) throws IOException, TrialException {
    return parse(Files.readString(file, StandardCharsets.ISO_8859_1));
  }

  public static Figures parse(String output) throws TrialException {
    String text = OutputText.withoutColours(output);
    if (ONE_WAY.matcher(text).find()) {
      // Without --full-rtt sockperf halves every figure; comparing that would flatter kvmmp 2x.
      throw new TrialException("sockperf reported one-way latency; run it with --full-rtt");
    }
    if (!ROUND_TRIP.matcher(text).find()) {
      throw new TrialException("sockperf printed no round-trip summary: "
          + OutputText.tail(text, 3));
    }
    return Figures.of(percentile(text, "50.000"), percentile(text, "99.000"), mean(text));
  }

  private static double percentile(String text, String percentile) throws TrialException {
    Matcher m = Pattern.compile("---> percentile " + Pattern.quote(percentile)
        + "\\s*=\\s*([0-9.]+)").matcher(text);
    if (!m.find()) {
      throw new TrialException("sockperf printed no percentile " + percentile + ": "
          + OutputText.tail(text, 3));
    }
    return Double.parseDouble(m.group(1));
  }

  private static double mean(String text) throws TrialException {
    Matcher m = MEAN.matcher(text);
    if (!m.find()) {
      throw new TrialException("sockperf printed no avg-rtt: " + OutputText.tail(text, 3));
    }
    return Double.parseDouble(m.group(1));
  }
}

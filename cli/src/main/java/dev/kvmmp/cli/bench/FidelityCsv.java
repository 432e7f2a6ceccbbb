package dev.kvmmp.cli.bench;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The raw numbers behind the table, one line per completed trial, for plotting or a second
 * opinion. A figure the tool does not report is an empty field.
 */
public final class FidelityCsv {

  static final String HEADER = "pair,placement,repetition,stat,kvmmp_p50_us,kvmmp_p99_us,"
      + "kvmmp_mean_us,peer,peer_placement,peer_p50_us,peer_p99_us,peer_mean_us,ratio";

  private FidelityCsv() {}

  public static void write(List<FidelityRow> rows, Path file) throws IOException {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      write(rows, out);
    }
  }

  static void write(List<FidelityRow> rows, Writer out) throws IOException {
    out.write(HEADER + "\n");
    for (FidelityRow row : rows) {
      for (TrialPair trial : row.trials()) {
        out.write(String.join(",", row.pair(), row.placement().label(),
            Integer.toString(trial.repetition()), row.statistic().label(),
            number(trial.kvmmp().p50Us()), number(trial.kvmmp().p99Us()),
            number(trial.kvmmp().meanUs()), quoted(row.peer()), quoted(row.peerPlacement()),
            number(trial.peer().p50Us()), number(trial.peer().p99Us()),
            number(trial.peer().meanUs()),
            String.format(Locale.ROOT, "%.4f", trial.ratio(row.statistic()))) + "\n");
      }
    }
  }

  private static String number(OptionalDouble value) {
    return value.isPresent() ? String.format(Locale.ROOT, "%.3f", value.getAsDouble()) : "";
  }

  /** Peer placements hold commas ("client 0, server 1 (pinned after start)"). */
  private static String quoted(String text) {
    return text.contains(",") || text.contains("\"")
        ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
  }
}

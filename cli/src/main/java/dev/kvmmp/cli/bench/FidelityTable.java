package dev.kvmmp.cli.bench;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.function.Function;

/**
 * Prints one line per pair and placement: kvmmp's figure and p99 next to the peer's, each the
 * median over trials, then the median of the per-trial ratios and their range. Notes on what
 * each tool measures follow the table.
 */
public final class FidelityTable {

  private static final String HEADER_FORMAT =
      "%-8s %-10s %-5s %20s %-11s %-39s %20s %7s %-11s %6s%n";
  private static final String ROW_FORMAT =
      "%-8s %-10s %-5s %20s %-11s %-39s %20s %7.2f %-11s %6d%n";
  private static final String PROBLEM_FORMAT = "%-8s %-10s %-5s %s%n";

  private FidelityTable() {}

  public static void print(List<FidelityRow> rows, List<String> notes, PrintWriter out) {
    out.printf(Locale.ROOT, HEADER_FORMAT, "pair", "placement", "stat", "kvmmp us (stat/p99)",
        "peer", "peer placement", "peer us (stat/p99)", "ratio", "min-max", "trials");
    for (FidelityRow row : rows) {
      if (!row.complete()) {
        out.printf(Locale.ROOT, PROBLEM_FORMAT, row.pair(), row.placement().label(),
            row.statistic().label(), row.problem().orElseThrow());
        continue;
      }
      RatioSummary ratios = row.ratios();
      out.printf(Locale.ROOT, ROW_FORMAT, row.pair(), row.placement().label(),
          row.statistic().label(),
          statAndP99(row, TrialPair::kvmmp), row.peer(), row.peerPlacement(),
          statAndP99(row, TrialPair::peer), ratios.median(),
          String.format(Locale.ROOT, "%.2f-%.2f", ratios.min(), ratios.max()), ratios.trials());
    }
    if (!notes.isEmpty()) {
      out.println();
      out.println("ratio: kvmmp/peer of the stat, median over trials; min-max over trials. "
          + "Figures are medians over trials, round trips in us.");
      notes.forEach(out::println);
    }
    out.flush();
  }

  private static String statAndP99(FidelityRow row, Function<TrialPair, Figures> side) {
    return format(medianOf(row, t -> row.statistic().of(side.apply(t)))) + " / "
        + format(medianOf(row, t -> side.apply(t).p99Us()));
  }

  /** The median over trials, empty when the tool does not report the figure. */
  private static OptionalDouble medianOf(FidelityRow row,
      Function<TrialPair, OptionalDouble> figure) {
    List<OptionalDouble> values = row.trials().stream().map(figure).toList();
    if (values.stream().anyMatch(OptionalDouble::isEmpty)) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of(RatioSummary.median(
        values.stream().map(OptionalDouble::getAsDouble).toList()));
  }

  private static String format(OptionalDouble value) {
    return value.isPresent() ? String.format(Locale.ROOT, "%.2f", value.getAsDouble()) : "-";
  }
}

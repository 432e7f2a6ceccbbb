package dev.kvmmp.cli.reproduce;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The findings in the terminal: one line per row (finding, subject, talk, here, 95% CI,
 * verdict, runs) with its reason under it, then the talk's F2 table, exit causes per
 * transaction, for each placement.
 */
public final class FindingsTable {

  private FindingsTable() {}

  public static void print(ReproduceResults results, PrintWriter out) {
    out.println();
    out.println("KVM Forum 2015, \"KVM Message Passing Performance\": its findings on "
        + results.machine());
    if (results.quick()) {
      out.println(QuickPlan.describe());
    }
    if (!results.complete()) {
      out.println("INTERRUPTED: partial results; rows without runs say so");
    }
    List<String[]> lines = new ArrayList<>();
    lines.add(new String[] {"", "subject", "talk", "here", "95% CI", "verdict", "runs"});
    for (FindingRow row : results.rows()) {
      lines.add(new String[] {row.finding(), row.subject(), row.talk(), row.here(),
          row.interval(), row.verdict().words(), Integer.toString(row.runs())});
    }
    int[] widths = widths(lines);
    for (int i = 0; i < lines.size(); i++) {
      out.println(line(lines.get(i), widths));
      if (i > 0) {
        out.println(" ".repeat(widths[0] + 2) + "-> " + results.rows().get(i - 1).reason());
      }
    }
    printExitTables(results, out);
    out.flush();
  }

  /** Each exit plot as a table: a line per bar, a column per stacked part. */
  private static void printExitTables(ReproduceResults results, PrintWriter out) {
    Set<String> plots = new LinkedHashSet<>();
    results.exits().forEach(bar -> plots.add(bar.plot()));
    for (String plot : plots) {
      List<ExitBar> bars = results.exits().stream().filter(b -> b.plot().equals(plot)).toList();
      Set<String> parts = new LinkedHashSet<>();
      bars.forEach(bar -> parts.addAll(bar.perTransaction().keySet()));
      if (parts.isEmpty()) {
        out.println();
        out.println(plot + ": nothing counted (the F2 rows say why)");
        continue;
      }
      List<String[]> lines = new ArrayList<>();
      List<String> header = new ArrayList<>(List.of(""));
      header.addAll(parts);
      header.add("runs");
      lines.add(header.toArray(String[]::new));
      for (ExitBar bar : bars) {
        List<String> cells = new ArrayList<>(List.of(bar.bar()));
        parts.forEach(part -> cells.add(bar.perTransaction().containsKey(part)
            ? Numbers.count(bar.perTransaction().get(part)) : "-"));
        cells.add(Integer.toString(bar.runs()));
        lines.add(cells.toArray(String[]::new));
      }
      out.println();
      out.println(plot + ":");
      int[] widths = widths(lines);
      lines.forEach(cells -> out.println(line(cells, widths)));
    }
  }

  private static int[] widths(List<String[]> lines) {
    int[] widths = new int[lines.get(0).length];
    for (String[] cells : lines) {
      for (int i = 0; i < cells.length; i++) {
        widths[i] = Math.max(widths[i], cells[i].length());
      }
    }
    return widths;
  }

  private static String line(String[] cells, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      boolean number = i == cells.length - 1 || i > 0 && cells[i].matches("[-0-9.]+");
      // A column of empty cells has width 0, which a format cannot take.
      int width = Math.max(1, widths[i]);
      String format = number ? "%" + width + "s" : "%-" + width + "s";
      line.append(i == 0 ? "" : "  ").append(String.format(Locale.ROOT, format, cells[i]));
    }
    return line.toString().stripTrailing();
  }
}

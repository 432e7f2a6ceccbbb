package dev.kvmmp.cli.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Reads {@code jstat -gc} output: one heap sample per data line, columns found by their header
 * names (S0U, EU, OU, ... in KB), so that the column order of another JDK or collector does not
 * matter. Used heap is S0U+S1U+EU+OU, committed heap S0C+S1C+EC+OC; metaspace is not heap.
 */
final class JstatGc {

  private static final List<String> USED = List.of("S0U", "S1U", "EU", "OU");
  private static final List<String> COMMITTED = List.of("S0C", "S1C", "EC", "OC");
  private static final long KB = 1024;

  /** The Java heap at one instant, with the collections so far. */
  record HeapSample(long usedBytes, long committedBytes, long youngGcs, long fullGcs,
      double gcSeconds) {}

  private JstatGc() {}

  /**
   * @throws IllegalArgumentException when the output has no header line with the heap columns,
   *     or a data line whose fields do not match it
   */
  static List<HeapSample> parse(String output) {
    List<String[]> lines = output.lines().map(String::strip).filter(l -> !l.isEmpty())
        .map(l -> l.split("\\s+")).toList();
    Map<String, Integer> columns = null;
    List<HeapSample> samples = new ArrayList<>();
    for (String[] fields : lines) {
      if (fields[0].equals("S0C")) {
        columns = Arrays.stream(fields).collect(
            Collectors.toMap(Function.identity(), Arrays.asList(fields)::indexOf, (a, b) -> a));
        requireColumns(columns, fields);
        continue;
      }
      if (columns == null) {
        continue;  // jstat's complaints before the header, e.g. a vanished process id
      }
      if (fields.length != columns.size()) {
        throw new IllegalArgumentException("jstat -gc line has " + fields.length
            + " fields, its header " + columns.size() + ": '" + String.join(" ", fields) + "'");
      }
      samples.add(new HeapSample(kilobytes(fields, columns, USED) * KB,
          kilobytes(fields, columns, COMMITTED) * KB, (long) number(fields, columns, "YGC"),
          (long) number(fields, columns, "FGC"), number(fields, columns, "GCT")));
    }
    if (columns == null) {
      throw new IllegalArgumentException("no jstat -gc header (S0C S1C ...) in: "
          + OutputText.tail(output, 3));
    }
    return samples;
  }

  private static void requireColumns(Map<String, Integer> columns, String[] header) {
    for (String name : List.of("S0U", "S1U", "EU", "OU", "S0C", "S1C", "EC", "OC", "YGC", "FGC",
        "GCT")) {
      if (!columns.containsKey(name)) {
        throw new IllegalArgumentException("jstat -gc header lacks column " + name + ": '"
            + String.join(" ", header) + "'");
      }
    }
  }

  private static long kilobytes(String[] fields, Map<String, Integer> columns,
      List<String> names) {
    double sum = 0;
    for (String name : names) {
      sum += number(fields, columns, name);
    }
    return Math.round(sum);
  }

  private static double number(String[] fields, Map<String, Integer> columns, String name) {
    String text = fields[columns.get(name)];
    try {
      // A JVM in a locale with decimal commas prints "3072,0".
      return Double.parseDouble(text.replace(',', '.'));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("jstat -gc column " + name + " is not a number: '"
          + text + "'", e);
    }
  }
}

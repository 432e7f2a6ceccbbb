package dev.kvmmp.cli.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What {@code perf bench sched pipe} reports: the total time and the time per operation, one
 * operation being a round trip (a write and a read on each of two pipes).
 */
public record PerfBenchPipeOutput(long operations, double totalSeconds, double usecsPerOp) {

  private static final Pattern OPERATIONS = Pattern.compile("Executed (\\d+) pipe operations");
  private static final Pattern TOTAL = Pattern.compile("Total time:\\s*([0-9.]+) \\[sec\\]");
  private static final Pattern PER_OP = Pattern.compile("([0-9.]+) usecs/op");

  public static PerfBenchPipeOutput parse(Path file) throws IOException, TrialException {
    return parse(Files.readString(file, StandardCharsets.ISO_8859_1));
  }

  public static PerfBenchPipeOutput parse(String output) throws TrialException {
    return new PerfBenchPipeOutput(Long.parseLong(find(OPERATIONS, output, "operations")),
        Double.parseDouble(find(TOTAL, output, "Total time")),
        Double.parseDouble(find(PER_OP, output, "usecs/op")));
  }

  private static String find(Pattern pattern, String output, String what) throws TrialException {
    Matcher m = pattern.matcher(output);
    if (!m.find()) {
      throw new TrialException("perf bench sched pipe printed no " + what + ": "
          + OutputText.tail(output, 3));
    }
    return m.group(1);
  }
}

package dev.kvmmp.cli.reproduce;

import static dev.kvmmp.worker.knobs.KnobNames.GUEST_HALT_POLL_NS;

import dev.kvmmp.aggregator.stats.RunSample;
import dev.kvmmp.proto.v1.KnobValue;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunReport;
import dev.kvmmp.proto.v1.RunState;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * The succeeded runs of one group (a workload under one placement and fleet) that the
 * aggregator reported with latency: the sample a finding's figures are medians over.
 *
 * @param runs the runs, in the order the coordinator listed them
 * @param reports each run's report, in the same order
 */
public record RunGroup(List<Run> runs, List<RunReport> reports) {

  public RunGroup {
    runs = List.copyOf(runs);
    reports = List.copyOf(reports);
  }

  /** The runs of {@code outcome} that {@code which} selects, succeeded and reported. */
  public static RunGroup of(SeedOutcome outcome, Predicate<Run> which) {
    List<Run> runs = new ArrayList<>();
    List<RunReport> reports = new ArrayList<>();
    for (Run run : outcome.runs()) {
      RunReport report = outcome.reports().get(run.getId());
      if (which.test(run) && run.getState() == RunState.RUN_STATE_SUCCEEDED && report != null
          && RunSample.of(report).isPresent()) {
        runs.add(run);
        reports.add(report);
      }
    }
    return new RunGroup(runs, reports);
  }

  public int size() {
    return runs.size();
  }

  /** The runs as samples of a comparison. */
  public List<RunSample> samples() {
    return reports.stream().map(RunSample::of).flatMap(Optional::stream).toList();
  }

  /** The figure of every run that has it (NaN means it has not). */
  public double[] values(ToDoubleFunction<RunReport> figure) {
    return reports.stream().mapToDouble(figure).filter(v -> !Double.isNaN(v)).toArray();
  }

  /** The median of the figure over the runs that have it; NaN when none has. */
  public double median(ToDoubleFunction<RunReport> figure) {
    return medianOf(values(figure));
  }

  /** Whether a run's worker noted something that starts with {@code start}. */
  boolean anyRunNotes(String start) {
    return runs.stream().flatMap(run -> run.getResult().getNotesList().stream())
        .anyMatch(note -> note.startsWith(start));
  }

  /**
   * The first non-zero guest_halt_poll_ns the runs' guests reported, e.g. "200000": a guest
   * that polls before it halts wakes without a halt when the wake-up comes soon enough.
   */
  Optional<String> guestPollingNs() {
    return runs.stream()
        .flatMap(run -> run.getResult().getGuestFacts().getGuestKnobsList().stream())
        .filter(knob -> knob.getName().equals(GUEST_HALT_POLL_NS))
        .map(KnobValue::getValue)
        .filter(value -> !value.isBlank() && !value.equals("0"))
        .findFirst();
  }

  /** Why the runs did not measure {@code figure}, as the first report that says so puts it. */
  Optional<String> whyMissing(ReportFigure figure) {
    return reports.stream().map(figure::whyMissing).flatMap(Optional::stream).findFirst();
  }

  /** Every run's histogram merged into one; empty when no run has a readable one. */
  public Optional<Histogram> mergedHistogram() {
    Histogram merged = null;
    for (Run run : runs) {
      ByteBuffer bytes = run.getResult().getHistogram().asReadOnlyByteBuffer();
      if (!bytes.hasRemaining()) {
        continue;
      }
      try {
        Histogram histogram = Histogram.decodeFromCompressedByteBuffer(bytes, 0);
        if (merged == null) {
          merged = histogram;
        } else {
          merged.add(histogram);
        }
      } catch (DataFormatException e) {
        // A run whose histogram cannot be read still counts in the medians; only the CDF
        // leaves it out.
        continue;
      }
    }
    return Optional.ofNullable(merged);
  }

  /** The median of {@code values}, NaN for none; {@code values} is left as it was. */
  public static double medianOf(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
}

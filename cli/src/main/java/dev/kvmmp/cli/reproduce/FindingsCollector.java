package dev.kvmmp.cli.reproduce;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/** Collects what each seed's analysis finds: rows, plot data, notes. */
final class FindingsCollector {

  /**
   * HdrHistogram's percentile steps per halving of the distance to 100%: ~8 points per halving
   * make a smooth CDF line of a few hundred points at most, small enough for the page.
   */
  private static final int CDF_TICKS_PER_HALF_DISTANCE = 8;

  final List<FindingRow> rows = new ArrayList<>();
  final List<LatencyCdf> cdfs = new ArrayList<>();
  final List<ExitBar> exits = new ArrayList<>();
  final List<PollingPoint> polling = new ArrayList<>();
  final List<String> notes = new ArrayList<>();

  void row(FindingRow row) {
    rows.add(row);
  }

  /** A CDF line of {@code group}'s merged histograms; nothing when it has none. */
  void cdf(String plot, String series, RunGroup group) {
    group.mergedHistogram().ifPresent(histogram -> cdfs.add(new LatencyCdf(plot, series,
        group.size(), histogram.getTotalCount(), points(histogram))));
  }

  private static List<LatencyCdf.CdfPoint> points(Histogram histogram) {
    List<LatencyCdf.CdfPoint> points = new ArrayList<>();
    for (HistogramIterationValue value : histogram.percentiles(CDF_TICKS_PER_HALF_DISTANCE)) {
      double us = histogram.highestEquivalentValue(value.getValueIteratedTo()) / 1_000.0;
      double fraction = value.getPercentileLevelIteratedTo() / 100.0;
      if (!points.isEmpty() && points.get(points.size() - 1).latencyUs() == us) {
        points.set(points.size() - 1, new LatencyCdf.CdfPoint(us, fraction));
      } else {
        points.add(new LatencyCdf.CdfPoint(us, fraction));
      }
    }
    return points;
  }
}

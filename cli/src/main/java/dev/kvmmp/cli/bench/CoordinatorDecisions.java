package dev.kvmmp.cli.bench;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A timer of the coordinator's, from its Prometheus metrics: kvmmp.coordinator.decision (one
 * scheduling decision) or kvmmp.coordinator.assignment.delay (from the event that frees a place
 * to the assignment that fills it), measured inside the coordinator.
 *
 * @param count decisions made
 * @param p50Seconds p99Seconds bounded from the timer's cumulative buckets
 */
record CoordinatorDecisions(long count, double p50Seconds, double p99Seconds,
    double maxSeconds) {

  static final CoordinatorDecisions NONE = new CoordinatorDecisions(0, 0, 0, 0);

  static final String DECISION = "kvmmp_coordinator_decision_seconds";
  static final String ASSIGNMENT_DELAY = "kvmmp_coordinator_assignment_delay_seconds";

  /**
   * Reads the timer from a /metrics scrape; NONE when it is not there. Percentiles come from its
   * cumulative buckets as Prometheus' histogram_quantile would bound them: the upper edge of the
   * first bucket that holds the percentile (Micrometer's buckets are a few percent apart).
   */
  static CoordinatorDecisions parse(String scrape, String name) {
    double count = value(scrape, name + "_count");
    if (Double.isNaN(count) || count == 0) {
      return NONE;
    }
    TreeMap<Double, Double> buckets = new TreeMap<>();
    Matcher m = Pattern.compile("^" + name + "_bucket\\{le=\"([^\"]+)\"\\} (\\S+)$",
        Pattern.MULTILINE).matcher(scrape);
    while (m.find()) {
      double le = m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY
          : Double.parseDouble(m.group(1));
      buckets.put(le, Double.parseDouble(m.group(2)));
    }
    return new CoordinatorDecisions((long) count, quantile(buckets, count, 0.5),
        quantile(buckets, count, 0.99), value(scrape, name + "_max"));
  }

  private static double quantile(TreeMap<Double, Double> buckets, double count, double q) {
    for (Map.Entry<Double, Double> bucket : buckets.entrySet()) {
      if (bucket.getValue() >= q * count) {
        return bucket.getKey();
      }
    }
    return Double.NaN;
  }

  private static double value(String scrape, String series) {
    Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE)
        .matcher(scrape);
    return m.find() ? Double.parseDouble(m.group(1).toLowerCase(Locale.ROOT)) : Double.NaN;
  }
}

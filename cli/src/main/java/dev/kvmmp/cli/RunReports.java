package dev.kvmmp.cli;

import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunReport;
import dev.kvmmp.proto.v1.RunState;
import dev.kvmmp.topics.KvmmpTopics;
import dev.kvmmp.topics.LatestValues;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The aggregator's reports of an experiment's succeeded runs, read from
 * {@code kvmmp.run-reports}. The coordinator knows a run succeeded before the aggregator has
 * joined its result with the probe's samples, so callers that want every report wait for them.
 */
final class RunReports {

  private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
  private static final long POLL_MILLIS = 500;

  private RunReports() {}

  /** The reports of the succeeded {@code runs}: all of them, or those that came within {@code wait}. */
  static Map<String, RunReport> await(String kafka, List<Run> runs, Duration wait)
      throws InterruptedException {
    Set<String> wanted = succeeded(runs);
    long deadline = System.nanoTime() + wait.toNanos();
    Map<String, RunReport> found = new HashMap<>();
    while (true) {
      Map<String, RunReport> all = LatestValues.read(kafka, KvmmpTopics.RUN_REPORTS,
          RunReport.parser(), READ_TIMEOUT);
      wanted.forEach(id -> {
        if (all.containsKey(id)) {
          found.put(id, all.get(id));
        }
      });
      if (found.size() == wanted.size() || System.nanoTime() > deadline) {
        return found;
      }
      Thread.sleep(POLL_MILLIS);
    }
  }

  static Set<String> succeeded(List<Run> runs) {
    return runs.stream().filter(r -> r.getState() == RunState.RUN_STATE_SUCCEEDED)
        .map(Run::getId).collect(Collectors.toSet());
  }
}

package dev.kvmmp.coordinator.scheduling;

import dev.kvmmp.proto.v1.Run;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs waiting for a target, grouped by what decides where they may go (experiment, workload,
 * fleet), each group in schedule order. The dispatcher looks at the heads of the groups only,
 * so a decision costs the number of groups, not the number of pending runs.
 */
public final class PendingRuns {

  /** Runs of one (experiment, workload, fleet), by priority. */
  public static final class Group {
    private final String key;
    private final Run template;
    private final TreeMap<Long, Run> runs = new TreeMap<>();

    private Group(String key, Run template) {
      this.key = key;
      this.template = template;
    }

    public String key() {
      return key;
    }

    /** Any run of the group: its workload, fleet and knobs are the group's. */
    public Run template() {
      return template;
    }

    public Run head() {
      return runs.firstEntry().getValue();
    }

    public long headPriority() {
      return runs.firstKey();
    }
  }

  private final Map<String, Group> groups = new LinkedHashMap<>();
  private final Map<String, Long> priorityOfRun = new HashMap<>();
  private final Map<String, String> groupOfRun = new HashMap<>();

  public static String groupKey(Run run) {
    return run.getExperimentId() + "/" + run.getWorkloadIndex() + "/" + run.getFleet();
  }

  /**
   * @param experimentOrdinal the experiment's place among submissions: older experiments first
   */
  public void add(Run run, long experimentOrdinal) {
    String key = groupKey(run);
    long priority = (experimentOrdinal << 32) | run.getSequence();
    groups.computeIfAbsent(key, k -> new Group(k, run)).runs.put(priority, run);
    priorityOfRun.put(run.getId(), priority);
    groupOfRun.put(run.getId(), key);
  }

  /** Takes a run out (started or cancelled); returns whether it was pending. */
  public boolean remove(String runId) {
    String key = groupOfRun.remove(runId);
    if (key == null) {
      return false;
    }
    Group group = groups.get(key);
    group.runs.remove(priorityOfRun.remove(runId));
    if (group.runs.isEmpty()) {
      groups.remove(key);
    }
    return true;
  }

  public boolean contains(String runId) {
    return groupOfRun.containsKey(runId);
  }

  public Collection<Group> groups() {
    return groups.values();
  }

  public boolean isEmpty() {
    return groups.isEmpty();
  }

  public int size() {
    return priorityOfRun.size();
  }
}

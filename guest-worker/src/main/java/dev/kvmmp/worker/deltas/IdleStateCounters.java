package dev.kvmmp.worker.deltas;

import dev.kvmmp.proto.v1.GuestDeltas;
import dev.kvmmp.proto.v1.IdleStateDelta;
import dev.kvmmp.worker.workload.WindowObserver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Entries into and time in each cpuidle state of the run's vCPUs over its window, from
 * {@code /sys/devices/system/cpu/cpuN/cpuidle/stateK/{name,usage,time}} (world-readable: no root
 * needed). The time of state "POLL" is the CPU a guest burns busy-polling before it halts: the
 * cost side of {@code guest_halt_poll_ns}.
 *
 * <p>All or nothing: when one of the run's vCPUs has no cpuidle states, or one cannot be read,
 * no state is given and {@code missing_events} says why, so that a sum over some of the vCPUs
 * never passes for the run's, and "not read" never reads as 0.
 */
public final class IdleStateCounters implements WindowObserver {

  private static final String CPU_DIR = "sys/devices/system/cpu/cpu";
  private static final Pattern STATE_DIR = Pattern.compile("state(\\d+)");
  private static final long NS_PER_US = 1_000;

  private final Path root;
  private final List<Integer> cpus;
  private Map<String, StateCount> opened;
  private Map<String, StateCount> closed;
  private String failure;

  /** One state of one vCPU at one instant; time in us, as sysfs gives it. */
  private record StateCount(String name, long usage, long timeUs) {
    @Override
    public String toString() {
      return "'" + name + "' usage " + usage + " time " + timeUs + " us";
    }
  }

  /** Why a snapshot could not be taken: the path, and what was wrong with it. */
  private static final class UnreadableException extends Exception {
    UnreadableException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * @param root where sysfs is mounted below ({@code /} in production; tests pass a fixture)
   * @param cpus the vCPUs the run is pinned to; all online vCPUs when unpinned
   */
  public IdleStateCounters(Path root, List<Integer> cpus) {
    this.root = root;
    this.cpus = List.copyOf(cpus);
  }

  @Override
  public void windowOpens() {
    opened = snapshot();
  }

  @Override
  public void windowClosed() {
    closed = snapshot();
  }

  /**
   * Adds the window's deltas to {@code deltas.idle_states}, summed over the vCPUs by state name,
   * or, when they could not be read, why to {@code deltas.missing_events}. Adds nothing when the
   * window never opened or closed.
   */
  public void fill(GuestDeltas.Builder deltas) {
    if (failure != null) {
      deltas.addMissingEvents("cpuidle states (" + failure + ")");
      return;
    }
    if (opened == null || closed == null) {
      return;
    }
    Map<String, IdleStateDelta.Builder> byName = new LinkedHashMap<>();
    for (Map.Entry<String, StateCount> state : closed.entrySet()) {
      StateCount atOpen = opened.get(state.getKey());
      StateCount atClose = state.getValue();
      if (atOpen == null || !atOpen.name().equals(atClose.name())
          || atClose.usage() < atOpen.usage() || atClose.timeUs() < atOpen.timeUs()) {
        deltas.addMissingEvents("cpuidle states (" + shown(state.getKey()) + " changed within "
            + "the window: " + atOpen + " at its start, " + atClose + " at its end)");
        return;
      }
      IdleStateDelta.Builder sum = byName.computeIfAbsent(atClose.name(),
          name -> IdleStateDelta.newBuilder().setName(name));
      sum.setEntries(sum.getEntries() + atClose.usage() - atOpen.usage())
          .setTimeNs(sum.getTimeNs() + (atClose.timeUs() - atOpen.timeUs()) * NS_PER_US);
    }
    byName.values().forEach(deltas::addIdleStates);
  }

  /** Every state of the run's vCPUs, keyed "cpuN/cpuidle/stateK"; null (and why) on failure. */
  private Map<String, StateCount> snapshot() {
    if (failure != null) {
      return null;
    }
    try {
      Map<String, StateCount> states = new LinkedHashMap<>();
      for (int cpu : cpus) {
        String cpuidle = CPU_DIR + cpu + "/cpuidle";
        for (Map.Entry<Integer, Path> state : stateDirs(cpuidle).entrySet()) {
          Path dir = state.getValue();
          states.put(cpuidle + "/state" + state.getKey(), new StateCount(text(dir, "name"),
              number(dir, "usage"), number(dir, "time")));
        }
      }
      return states;
    } catch (UnreadableException e) {
      failure = e.getMessage();
      return null;
    }
  }

  // stateK in K order: a listing is unordered, and state10 sorts before state2 as text.
  private SortedMap<Integer, Path> stateDirs(String cpuidle) throws UnreadableException {
    SortedMap<Integer, Path> dirs = new TreeMap<>();
    try (Stream<Path> entries = Files.list(root.resolve(cpuidle))) {
      entries.forEach(dir -> {
        Matcher state = STATE_DIR.matcher(dir.getFileName().toString());
        if (state.matches()) {
          dirs.put(Integer.parseInt(state.group(1)), dir);
        }
      });
    } catch (IOException e) {
      throw new UnreadableException("no " + shown(cpuidle) + ": no cpuidle driver, or the vCPU "
          + "is offline (" + e.getClass().getSimpleName() + ")");
    }
    if (dirs.isEmpty()) {
      throw new UnreadableException(shown(cpuidle) + " lists no stateN directory");
    }
    return dirs;
  }

  private String text(Path dir, String file) throws UnreadableException {
    Path path = dir.resolve(file);
    try {
      return Files.readString(path).trim();
    } catch (IOException e) {
      throw new UnreadableException("cannot read " + shown(path) + ": " + e.getMessage());
    }
  }

  private long number(Path dir, String file) throws UnreadableException {
    String text = text(dir, file);
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new UnreadableException(shown(dir.resolve(file)) + " holds '" + text
          + "', expected a decimal count");
    }
  }

  /** The path as on the guest, for messages: tests use another root, users read sysfs paths. */
  private String shown(Path path) {
    return "/" + root.relativize(path);
  }

  private static String shown(String relative) {
    return "/" + relative;
  }
}

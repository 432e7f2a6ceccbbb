package dev.kvmmp.worker.attribution;

import dev.kvmmp.perf.PerfEvents;
import dev.kvmmp.perf.PerfException;
import dev.kvmmp.perf.Tracefs;
import dev.kvmmp.proto.v1.GuestDeltas;
import dev.kvmmp.worker.workload.WindowObserver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts, on the run's vCPUs and over exactly its window, the guest events that cause VM exits:
 * perf counters opened before the run, read when the window opens and closes, released after.
 * Events this kernel lacks, or that cannot be counted, are reported missing with the reason,
 * never as zero; the run goes on without them.
 */
public final class ExitCauseCounters implements WindowObserver, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ExitCauseCounters.class);

  private final Map<String, int[]> fds = new LinkedHashMap<>();
  private final List<String> missing = new ArrayList<>();
  private Map<String, Long> opened;
  private Map<String, Long> closed;

  private ExitCauseCounters() {}

  /** Opens a counter per event and vCPU; what cannot be opened is listed as missing. */
  public static ExitCauseCounters open(List<Integer> cpus, List<String> idleStates) {
    ExitCauseCounters counters = new ExitCauseCounters();
    try (Tracefs tracefs = Tracefs.find().orElse(null)) {
      for (CountedEvent event : CountedEvent.exitCauses(idleStates)) {
        counters.openEvent(event, tracefs, cpus);
      }
    }
    return counters;
  }

  private void openEvent(CountedEvent event, Tracefs tracefs, List<Integer> cpus) {
    int type = PerfEvents.TYPE_SOFTWARE;
    long config = PerfEvents.SW_CONTEXT_SWITCHES;
    if (!event.isSoftware()) {
      OptionalInt id = tracefs == null ? OptionalInt.empty()
          : tracefs.eventId(event.system(), event.tracepoint());
      if (id.isEmpty()) {
        missing.add(event.name() + " (no such tracepoint"
            + (tracefs == null ? ": tracefs is not mounted and could not be; mounting it "
                + "needs root, as counting on a CPU does" : "") + ")");
        return;
      }
      type = PerfEvents.TYPE_TRACEPOINT;
      config = id.getAsInt();
    }
    int[] perCpu = new int[cpus.size()];
    for (int i = 0; i < cpus.size(); i++) {
      try {
        perCpu[i] = PerfEvents.openOnCpu(type, config, cpus.get(i), event.filter());
      } catch (PerfException e) {
        for (int j = 0; j < i; j++) {
          PerfEvents.close(perCpu[j]);
        }
        missing.add(event.name() + " (" + e.getMessage() + ")");
        return;
      }
    }
    fds.put(event.name(), perCpu);
  }

  @Override
  public void windowOpens() {
    opened = readAll();
  }

  @Override
  public void windowClosed() {
    closed = readAll();
  }

  /** Adds the window's counts to {@code deltas.events}, and the events it could not count. */
  public void fill(GuestDeltas.Builder deltas) {
    deltas.addAllMissingEvents(missing);
    if (opened == null || closed == null) {
      return;
    }
    for (String name : fds.keySet()) {
      if (opened.containsKey(name) && closed.containsKey(name)) {
        deltas.putEvents(name, closed.get(name) - opened.get(name));
      }
    }
  }

  private Map<String, Long> readAll() {
    Map<String, Long> values = new LinkedHashMap<>();
    for (Map.Entry<String, int[]> event : fds.entrySet()) {
      try {
        long sum = 0;
        for (int fd : event.getValue()) {
          sum += PerfEvents.read(fd);
        }
        values.put(event.getKey(), sum);
      } catch (PerfException e) {
        log.warn("{}: {}", event.getKey(), e.getMessage());
      }
    }
    return values;
  }

  /** Releases every counter: a counter left open keeps costing on every event it counts. */
  @Override
  public void close() {
    for (int[] perCpu : fds.values()) {
      for (int fd : perCpu) {
        PerfEvents.close(fd);
      }
    }
    fds.clear();
  }
}

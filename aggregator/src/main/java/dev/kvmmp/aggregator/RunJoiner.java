package dev.kvmmp.aggregator;

import com.google.protobuf.Message;
import dev.kvmmp.proto.v1.AwaitedRun;
import dev.kvmmp.proto.v1.HostSample;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunReport;
import dev.kvmmp.proto.v1.RunSnapshots;
import dev.kvmmp.proto.v1.RunState;
import dev.kvmmp.proto.v1.SampleKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Joins each ended run with the snapshots tagged with it, both keyed by run id: a report goes out
 * as soon as the run and its window's end snapshot are both there, or, for a run that has waited
 * its timeout, with what is missing named. A run whose VM no probe saw gets its report at once.
 * Snapshots of runs that never end are dropped after a day.
 */
final class RunJoiner implements Processor<String, Message, String, RunReport> {

  static final String AWAITED = "awaited-runs";
  static final String SNAPSHOTS = "run-snapshots";
  private static final Duration SWEEP = Duration.ofSeconds(1);
  private static final Duration ORPHANED_SNAPSHOTS = Duration.ofDays(1);

  private final ReportBuilder reports;
  private final Duration timeout;
  private ProcessorContext<String, RunReport> context;
  private KeyValueStore<String, AwaitedRun> awaited;
  private KeyValueStore<String, RunSnapshots> snapshots;

  RunJoiner(ReportBuilder reports, Duration timeout) {
    this.reports = reports;
    this.timeout = timeout;
  }

  @Override
  public void init(ProcessorContext<String, RunReport> context) {
    this.context = context;
    this.awaited = context.getStateStore(AWAITED);
    this.snapshots = context.getStateStore(SNAPSHOTS);
    context.schedule(SWEEP, PunctuationType.WALL_CLOCK_TIME, this::sweep);
  }

  @Override
  public void process(Record<String, Message> record) {
    if (record.value() instanceof Run run) {
      ended(run, record.timestamp());
    } else if (record.value() instanceof HostSample sample) {
      snapshot(sample, record.timestamp());
    }
  }

  private void ended(Run run, long timestamp) {
    if (!isFinal(run.getState())) {
      return;
    }
    if (run.getHostId().isEmpty() || !run.getBracketed()) {
      emit(run, List.of(), timestamp);
      return;
    }
    awaited.put(run.getId(), AwaitedRun.newBuilder().setRun(run)
        .setSinceMs(context.currentSystemTimeMs()).build());
    emitIfComplete(run.getId(), timestamp);
  }

  private void snapshot(HostSample sample, long timestamp) {
    if (sample.getRunId().isEmpty() || sample.getKind() == SampleKind.SAMPLE_KIND_PERIODIC) {
      return;
    }
    RunSnapshots held = snapshots.get(sample.getRunId());
    RunSnapshots.Builder next = held == null
        ? RunSnapshots.newBuilder().setFirstSeenMs(timestamp) : held.toBuilder();
    snapshots.put(sample.getRunId(), next.addSamples(sample).build());
    emitIfComplete(sample.getRunId(), timestamp);
  }

  /** The window's end snapshot is the last a run waits for. */
  private void emitIfComplete(String runId, long timestamp) {
    AwaitedRun run = awaited.get(runId);
    RunSnapshots held = snapshots.get(runId);
    if (run != null && held != null && held.getSamplesList().stream()
        .anyMatch(s -> s.getKind() == SampleKind.SAMPLE_KIND_WINDOW_END)) {
      emit(run.getRun(), held.getSamplesList(), timestamp);
    }
  }

  private void emit(Run run, List<HostSample> samples, long timestamp) {
    RunReport report = reports.build(run, samples, Instant.now());
    context.forward(new Record<>(run.getId(), report, timestamp));
    awaited.delete(run.getId());
    snapshots.delete(run.getId());
  }

  /** Emits the reports of runs that waited too long, and drops snapshots no run claims. */
  private void sweep(long now) {
    List<AwaitedRun> overdue = new ArrayList<>();
    try (KeyValueIterator<String, AwaitedRun> all = awaited.all()) {
      while (all.hasNext()) {
        KeyValue<String, AwaitedRun> next = all.next();
        if (now - next.value.getSinceMs() >= timeout.toMillis()) {
          overdue.add(next.value);
        }
      }
    }
    for (AwaitedRun run : overdue) {
      RunSnapshots held = snapshots.get(run.getRun().getId());
      emit(run.getRun(), held == null ? List.of() : held.getSamplesList(), now);
    }
    List<String> orphaned = new ArrayList<>();
    try (KeyValueIterator<String, RunSnapshots> all = snapshots.all()) {
      while (all.hasNext()) {
        KeyValue<String, RunSnapshots> next = all.next();
        if (now - next.value.getFirstSeenMs() > ORPHANED_SNAPSHOTS.toMillis()
            && awaited.get(next.key) == null) {
          orphaned.add(next.key);
        }
      }
    }
    orphaned.forEach(snapshots::delete);
  }

  private static boolean isFinal(RunState state) {
    return state == RunState.RUN_STATE_SUCCEEDED || state == RunState.RUN_STATE_FAILED
        || state == RunState.RUN_STATE_CANCELLED;
  }
}

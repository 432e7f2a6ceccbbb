package dev.kvmmp.aggregator.report;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;
import dev.kvmmp.proto.v1.HostSample;
import dev.kvmmp.proto.v1.SampleKind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A run's bracketing snapshots, one per kind, once duplicates are dropped and the order of
 * their sequence numbers is checked against the order of their kinds.
 */
final class Bracket {

  /** The order in which a run's snapshots are taken. */
  static final List<SampleKind> KINDS = List.of(SampleKind.SAMPLE_KIND_IDLE_BASELINE,
      SampleKind.SAMPLE_KIND_IDLE_BASELINE_END, SampleKind.SAMPLE_KIND_WINDOW_START,
      SampleKind.SAMPLE_KIND_WINDOW_END);

  /** Two snapshots whose counters can be subtracted, the host window between them. */
  record Pair(HostSample start, HostSample end) {
    long windowNs() {
      return end.getMonotonicNs() - start.getMonotonicNs();
    }
  }

  /** A sample's identity: a probe's stream (host and start) and its place in it. */
  private record Key(String host, Timestamp probeStartedAt, long sequence) {
    static Key of(HostSample sample) {
      return new Key(sample.getHostId(), sample.getProbeStartedAt(), sample.getSequence());
    }
  }

  private final Map<SampleKind, HostSample> byKind;

  private Bracket(Map<SampleKind, HostSample> byKind) {
    this.byKind = byKind;
  }

  /**
   * The snapshots of run {@code runId}: others and periodic ones are ignored; a sample seen twice
   * (same host, probe start and sequence) is kept once; of several samples of one kind (a retried
   * attempt brackets its window again) the latest taken is used. Each is flagged.
   */
  static Bracket select(String runId, List<HostSample> snapshots, Findings findings) {
    Map<Key, HostSample> unique = new LinkedHashMap<>();
    for (HostSample sample : snapshots) {
      if (!sample.getRunId().equals(runId) || !KINDS.contains(sample.getKind())) {
        continue;
      }
      HostSample kept = unique.putIfAbsent(Key.of(sample), sample);
      if (kept != null) {
        findings.noise("duplicate_sample", "sequence " + sample.getSequence() + " ("
            + kindName(sample) + ") of host " + sample.getHostId() + " came twice"
            + (kept.equals(sample) ? "" : " with different counters") + ": kept the first");
      }
    }
    Map<SampleKind, List<HostSample>> grouped = unique.values().stream()
        .collect(Collectors.groupingBy(HostSample::getKind, () -> new EnumMap<>(SampleKind.class),
            Collectors.toList()));
    Map<SampleKind, HostSample> byKind = new EnumMap<>(SampleKind.class);
    Comparator<HostSample> taken = Comparator.comparing(HostSample::getTakenAt, Timestamps::compare)
        .thenComparingLong(HostSample::getSequence);
    grouped.forEach((kind, samples) -> {
      HostSample latest = samples.stream().max(taken).orElseThrow();
      byKind.put(kind, latest);
      if (samples.size() > 1) {
        findings.noise("duplicate_sample", samples.size() + " " + kindName(latest)
            + " snapshots (sequences " + samples.stream().map(s -> Long.toString(s.getSequence()))
            .collect(Collectors.joining(", ")) + "): used sequence " + latest.getSequence()
            + ", the latest taken");
      }
    });
    checkOrder(byKind, findings);
    return new Bracket(byKind);
  }

  /** Sequence numbers of one probe stream must rise in the order the kinds are taken. */
  private static void checkOrder(Map<SampleKind, HostSample> byKind, Findings findings) {
    List<HostSample> inKindOrder = new ArrayList<>();
    for (SampleKind kind : KINDS) {
      if (byKind.containsKey(kind)) {
        inKindOrder.add(byKind.get(kind));
      }
    }
    for (int i = 1; i < inKindOrder.size(); i++) {
      HostSample before = inKindOrder.get(i - 1);
      HostSample after = inKindOrder.get(i);
      if (sameStream(before, after) && after.getSequence() <= before.getSequence()) {
        findings.noise("out_of_order", kindName(after) + " has sequence " + after.getSequence()
            + ", not after " + kindName(before) + "'s " + before.getSequence());
      }
    }
  }

  boolean isEmpty() {
    return byKind.isEmpty();
  }

  Optional<HostSample> get(SampleKind kind) {
    return Optional.ofNullable(byKind.get(kind));
  }

  /**
   * The snapshots of {@code from} and {@code to} when they make a window: both there, from one
   * host, {@code to} after {@code from} by the host's monotonic clock (and by sequence in one
   * probe stream). Otherwise empty, and why is named as missing {@code what}.
   */
  Optional<Pair> pair(SampleKind from, SampleKind to, String what, Findings findings) {
    HostSample start = byKind.get(from);
    HostSample end = byKind.get(to);
    if (start == null || end == null) {
      findings.missing(what + ": no " + kindName(start == null ? from : to) + " snapshot");
      return Optional.empty();
    }
    if (!start.getHostId().equals(end.getHostId())) {
      findings.missing(what + ": " + kindName(start) + " is from host " + start.getHostId()
          + ", " + kindName(end) + " from host " + end.getHostId());
      return Optional.empty();
    }
    if (end.getMonotonicNs() <= start.getMonotonicNs()
        || (sameStream(start, end) && end.getSequence() <= start.getSequence())) {
      findings.missing(what + ": " + kindName(end) + " (sequence " + end.getSequence()
          + ", monotonic " + end.getMonotonicNs() + " ns) is not after " + kindName(start)
          + " (sequence " + start.getSequence() + ", monotonic " + start.getMonotonicNs()
          + " ns)");
      return Optional.empty();
    }
    return Optional.of(new Pair(start, end));
  }

  private static boolean sameStream(HostSample a, HostSample b) {
    return a.getHostId().equals(b.getHostId())
        && a.getProbeStartedAt().equals(b.getProbeStartedAt());
  }

  static String kindName(HostSample sample) {
    return kindName(sample.getKind());
  }

  static String kindName(SampleKind kind) {
    return kind.name().substring("SAMPLE_KIND_".length());
  }
}

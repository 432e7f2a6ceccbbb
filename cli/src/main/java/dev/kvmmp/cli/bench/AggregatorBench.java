package dev.kvmmp.cli.bench;

import dev.kvmmp.aggregator.AggregatorMain;
import dev.kvmmp.cli.bench.AggregatorBenchReport.Cpu;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * One trial of {@code kvmmp bench aggregator}: a broker and the aggregator each in a JVM of its
 * own, the generator in this one; the group's progress sampled every second while the generator
 * publishes, then until it catches up and every report is in (at most {@link #DRAIN}).
 */
final class AggregatorBench {

  static final Duration DRAIN = Duration.ofSeconds(60);
  private static final Pattern BROKER_READY =
      Pattern.compile(Pattern.quote(BenchBrokerMain.READY) + "(\\S+)");
  private static final Pattern AGGREGATOR_READY = Pattern.compile("kvmmp aggregator running on");
  private static final long SAMPLE_MILLIS = 1_000;
  private static final int PROGRESS_EVERY = 5;

  private final AggregatorBenchSetup setup;
  private final String heap;
  private final PrintWriter err;

  AggregatorBench(AggregatorBenchSetup setup, String heap, PrintWriter err) {
    this.setup = setup;
    this.heap = heap;
    this.err = err;
  }

  AggregatorBenchReport run(ChildProcesses children) throws TrialException {
    Path dir = tempDir();
    try {
      return run(children, dir);
    } finally {
      deleteQuietly(dir);
    }
  }

  private AggregatorBenchReport run(ChildProcesses children, Path dir) throws TrialException {
    try (BenchJvm broker = BenchJvm.start(children, "broker", heap, BenchBrokerMain.class,
            List.of(dir.resolve("kafka").toString()), BROKER_READY)) {
      String kafka = broker.readyGroup(1);
      try (BenchJvm aggregator = BenchJvm.start(children, "aggregator", heap,
              AggregatorMain.class, List.of("--kafka", kafka, "--state-dir",
                  dir.resolve("aggregator").toString(), "--metrics-port", "0"), AGGREGATOR_READY);
          GroupLag lag = new GroupLag(kafka);
          FleetGenerator generator = new FleetGenerator(setup, kafka);
          ReportWatcher watcher = new ReportWatcher(kafka, generator::runSentNanos)) {
        generator.sendExperiment();
        note("broker on %s (pid %d), aggregator (pid %d) started; publishing %d hosts x %d VMs"
            + " + %d runs/s for %d s after %d s of warm-up", kafka, broker.pid(),
            aggregator.pid(), setup.hosts(), setup.vms(), setup.runsPerSecond(), setup.seconds(),
            setup.warmupSeconds());
        return measure(broker, aggregator, lag, generator, watcher);
      }
    }
  }

  /** Where the measured window starts: counters read then, subtracted at its end. */
  private record Baseline(long nanos, GroupLag.Offsets offsets, long samples, long bytes,
      long aggregatorCpu, long brokerCpu, long selfCpu) {}

  private Baseline baseline(BenchJvm broker, BenchJvm aggregator, GroupLag lag,
      FleetGenerator generator) throws TrialException {
    return new Baseline(System.nanoTime(), lag.now(), generator.samplesAcked(),
        generator.bytesAcked(), aggregator.cpuNanos(), broker.cpuNanos(), selfCpu());
  }

  private AggregatorBenchReport measure(BenchJvm broker, BenchJvm aggregator, GroupLag lag,
      FleetGenerator generator, ReportWatcher watcher) throws TrialException {
    ExecutorService executor = Executors.newSingleThreadExecutor();
    try {
      Baseline base = baseline(broker, aggregator, lag, generator);
      long start = base.nanos();
      Future<Long> publishing = executor.submit(generator::run);
      long peakLag = 0;
      GroupLag.Offsets offsets = base.offsets();
      GroupLag.Offsets previous = offsets;
      long previousSamples = 0;
      for (int second = 1; !publishing.isDone(); second++) {
        Pacing.sleepUntil(start + TimeUnit.MILLISECONDS.toNanos(second * SAMPLE_MILLIS),
            "measuring");
        aggregator.requireAlive();
        broker.requireAlive();
        if (second == setup.warmupSeconds()) {
          base = baseline(broker, aggregator, lag, generator);
          note("warm-up over; measuring for %d s", setup.seconds());
        }
        offsets = lag.now();
        if (second > setup.warmupSeconds()) {
          peakLag = Math.max(peakLag, offsets.lag());
        }
        if (second % PROGRESS_EVERY == 0) {
          long samples = generator.samplesAcked();
          progress(second, samples - previousSamples, offsets.committed()
              - previous.committed(), offsets.lag(), watcher.reports(), generator.runsSent());
          previous = offsets;
          previousSamples = samples;
        }
      }
      long end = await(publishing);
      Cpu cpu = new Cpu(aggregator.cpuNanos() - base.aggregatorCpu(),
          broker.cpuNanos() - base.brokerCpu(), selfCpu() - base.selfCpu());
      offsets = lag.now();
      long samples = generator.samplesAcked() - base.samples();
      long bytes = generator.bytesAcked() - base.bytes();
      long processed = offsets.committed() - base.offsets().committed();
      long lagAtEnd = offsets.lag();
      long drain = drain(lag, generator, watcher, aggregator);
      return new AggregatorBenchReport(setup, end - base.nanos(), samples, bytes, processed,
          lagAtEnd, Math.max(peakLag, lagAtEnd), drain, generator.runsSentSince(base.nanos()),
          watcher.lags(base.nanos()), cpu, aggregator.peakRssBytes(), broker.peakRssBytes());
    } finally {
      executor.shutdownNow();
    }
  }

  /** ns until the group has caught up and every run's report is in, or -1 after DRAIN. */
  private long drain(GroupLag lag, FleetGenerator generator, ReportWatcher watcher,
      BenchJvm aggregator) throws TrialException {
    long start = System.nanoTime();
    while (System.nanoTime() - start < DRAIN.toNanos()) {
      aggregator.requireAlive();
      if (lag.now().lag() == 0 && watcher.reports() >= generator.runsSent()) {
        return System.nanoTime() - start;
      }
      Pacing.sleepUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200), "measuring");
    }
    note("not caught up %d s after the generator stopped: %d records behind, %d of %d reports",
        DRAIN.toSeconds(), lag.now().lag(), watcher.reports(), generator.runsSent());
    return -1;
  }

  private void progress(int second, long samples, long processed, long lag, int reports,
      int runs) {
    note("%d:%02d elapsed: last %d s: input %.0f samples/s, aggregator %.0f samples/s; lag %d "
            + "records (%.1f s), reports %d/%d", second / 60, second % 60, PROGRESS_EVERY,
        samples / (double) PROGRESS_EVERY, processed / (double) PROGRESS_EVERY, lag,
        lag / (double) Math.max(1, setup.targetSamplesPerSecond()), reports, runs);
  }

  private void note(String format, Object... args) {
    err.printf(Locale.ROOT, "bench aggregator: " + format + "%n", args);
    err.flush();
  }

  private static long await(Future<Long> publishing) throws TrialException {
    try {
      return publishing.get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TrialException trial) {
        throw trial;
      }
      throw new TrialException("the generator failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new TrialException("the generator did not finish within 60 s of its end", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TrialException("interrupted while the generator ran", e);
    }
  }

  private static long selfCpu() throws TrialException {
    try {
      return ProcessCpu.selfNanos();
    } catch (IOException e) {
      throw new TrialException("cannot read this JVM's CPU time: " + e.getMessage(), e);
    }
  }

  /** The broker's log holds a GB or more after a minute at full size: not left behind. */
  private static void deleteQuietly(Path dir) {
    try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover directory in /tmp is harmless; the figures are what matter.
    }
  }

  private static Path tempDir() throws TrialException {
    try {
      return Files.createTempDirectory("kvmmp-bench-aggregator-");
    } catch (IOException e) {
      throw new TrialException("cannot create a temporary directory: " + e.getMessage(), e);
    }
  }
}

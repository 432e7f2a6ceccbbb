package dev.kvmmp.cli;

import dev.kvmmp.cli.local.LocalParts;
import dev.kvmmp.cli.local.LocalStartException;
import dev.kvmmp.cli.reproduce.FindingsAnalysis;
import dev.kvmmp.cli.reproduce.FindingsTable;
import dev.kvmmp.cli.reproduce.HtmlReport;
import dev.kvmmp.cli.reproduce.QuickPlan;
import dev.kvmmp.cli.reproduce.ReproduceResults;
import dev.kvmmp.cli.reproduce.ResultsJson;
import dev.kvmmp.cli.reproduce.SeedChecks;
import dev.kvmmp.cli.reproduce.SeedOutcome;
import dev.kvmmp.cli.reproduce.TalkSeed;
import dev.kvmmp.proto.v1.ExperimentSpec;
import dev.kvmmp.proto.v1.GuestFacts;
import dev.kvmmp.proto.v1.RunState;
import dev.kvmmp.proto.v1.WorkerInfo;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The talk's findings, rediscovered on this machine: starts the embedded default (as
 * {@code kvmmp local}), runs the experiments of {@code seeds/kvm-forum-2015/} one after another,
 * and prints each finding beside the talk's figure with a 95% interval and a verdict; writes
 * the same, with plots, as a self-contained HTML page.
 */
@Command(name = "reproduce",
    description = "Rediscover the findings of the KVM Forum 2015 talk \"KVM Message Passing "
        + "Performance\" on this machine: run seeds/kvm-forum-2015/ on a local broker, "
        + "coordinator, aggregator, worker and (as root, with /dev/kvm) host-probe; print the "
        + "findings table and write an HTML report.")
final class ReproduceCommand implements Callable<Integer> {

  /** Exit status after Ctrl-C, as shells report SIGINT. */
  static final int INTERRUPTED = 130;
  /** How long Ctrl-C waits for the partial results to be written before stopping everything. */
  private static final Duration FINISH_WAIT = Duration.ofSeconds(90);
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
      .withZone(ZoneOffset.UTC);

  @Option(names = "--quick", description = "Fewer, shorter runs (for CI): the same experiments "
      + "with wider intervals.")
  boolean quick;

  @Option(names = "--fresh", description = "Start the embedded broker and the aggregator from "
      + "empty data directories instead of the earlier sessions' ones.")
  boolean fresh;

  @Option(names = "--seeds", defaultValue = "seeds/kvm-forum-2015",
      description = "The directory of the talk's experiments (default: ${DEFAULT-VALUE}).")
  Path seeds;

  @Option(names = "--report", paramLabel = "FILE",
      description = "The HTML report to write (default: <state-dir>/reproduce/"
          + "kvm-forum-2015-<UTC time>.html); the results as JSON go beside it.")
  Path report;

  @Mixin
  LocalStackOptions local;

  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = command.commandLine().getOut();
    PrintWriter err = command.commandLine().getErr();
    if (!local.problems().isEmpty()) {
      local.problems().forEach(problem -> err.println("kvmmp reproduce: " + problem));
      return ExitCodes.BAD_INPUT;
    }
    Optional<Map<TalkSeed, ExperimentSpec>> specs = readSeeds(err);
    if (specs.isEmpty()) {
      return ExitCodes.BAD_INPUT;
    }
    Instant startedAt = Instant.now();
    Path html = report != null ? report
        : local.stateDir.resolve("reproduce").resolve("kvm-forum-2015-" + STAMP.format(startedAt)
            + ".html");
    if (fresh) {
      deleteTree(local.stateDir.resolve("kafka"));
      deleteTree(local.stateDir.resolve("aggregator"));
      out.println("kvmmp reproduce: --fresh: removed the broker's and the aggregator's data in "
          + local.stateDir);
    }
    LocalParts parts = new LocalParts(out);
    CountDownLatch finished = new CountDownLatch(1);
    AtomicReference<ReproduceSession> session = new AtomicReference<>();
    // Ctrl-C: cancel the run in progress (its worker puts the guest knobs back), let the main
    // thread report what was measured, then stop every part in reverse order.
    Thread onCtrlC = new Thread(() -> {
      ReproduceSession running = session.get();
      if (running != null) {
        running.interrupt();
        awaitQuietly(finished);
      }
      parts.close();
    }, "kvmmp-reproduce-stop");
    Runtime.getRuntime().addShutdownHook(onCtrlC);
    LocalStack stack = null;
    try {
      stack = LocalStack.start(local.settings(1, Optional.empty()), parts);
      List<WorkerInfo> workers = stack.client().workers();
      ReproduceProgress progress = new ReproduceProgress(specs.get(), out);
      if (quick) {
        progress.line(QuickPlan.describe());
      }
      session.set(new ReproduceSession(stack, progress, System.err));
      List<SeedOutcome> outcomes = session.get().run(specs.get(), workers);
      boolean complete = !session.get().interrupted();
      ReproduceResults results = FindingsAnalysis.analyze(outcomes, machine(workers, stack),
          startedAt, Duration.between(startedAt, Instant.now()), quick, complete,
          notes(outcomes));
      FindingsTable.print(results, out);
      writeReport(results, html, out, err);
      if (!complete) {
        return INTERRUPTED;
      }
      return anyRunFailed(outcomes) ? ExitCodes.RUNS_FAILED : ExitCodes.OK;
    } catch (LocalStartException e) {
      err.println("kvmmp reproduce: " + e.getMessage());
      err.flush();
      return ExitCodes.UNAVAILABLE;
    } finally {
      finished.countDown();
      if (session.get() != null) {
        session.get().close();
      }
      if (stack != null) {
        stack.close();
      }
      parts.close();
      try {
        Runtime.getRuntime().removeShutdownHook(onCtrlC);
      } catch (IllegalStateException e) {
        // Shutting down already (Ctrl-C): the hook is running and stops the parts itself.
      }
    }
  }

  private Optional<Map<TalkSeed, ExperimentSpec>> readSeeds(PrintWriter err) {
    Map<TalkSeed, ExperimentSpec> specs = new EnumMap<>(TalkSeed.class);
    for (TalkSeed seed : TalkSeed.values()) {
      Path file = seeds.resolve(seed.fileName());
      if (!Files.isRegularFile(file)) {
        err.printf("kvmmp reproduce: --seeds %s: no %s there (run from the repository's root, "
            + "or give --seeds)%n", seeds, seed.fileName());
        return Optional.empty();
      }
      Optional<ExperimentSpec> spec = SpecFiles.read(file, err);
      if (spec.isEmpty()) {
        return Optional.empty();
      }
      Optional<String> problem = SeedChecks.problem(seed, spec.get());
      if (problem.isPresent()) {
        err.printf("kvmmp reproduce: %s: %s%n", file, problem.get());
        return Optional.empty();
      }
      specs.put(seed, quick ? QuickPlan.apply(spec.get()) : spec.get());
    }
    return Optional.of(specs);
  }

  private static void writeReport(ReproduceResults results, Path html, PrintWriter out,
      PrintWriter err) {
    Path json = html.resolveSibling(html.getFileName().toString().replaceFirst("\\.html?$", "")
        + ".json");
    try {
      ResultsJson.write(results, json);
      HtmlReport.write(results, html);
      out.println();
      out.println("report: " + html.toAbsolutePath());
      out.println("results as JSON: " + json.toAbsolutePath());
    } catch (IOException | RuntimeException e) {
      err.println("kvmmp reproduce: could not write " + html + " or " + json + ": " + e);
    }
    out.flush();
  }

  /** What was measured, in one line: the guest as its worker saw it, and the probe. */
  private static String machine(List<WorkerInfo> workers, LocalStack stack) {
    GuestFacts facts = workers.isEmpty() ? GuestFacts.getDefaultInstance()
        : workers.get(0).getFacts();
    return String.format("a %d-vCPU KVM guest (%s, kernel %s, cpuidle %s/%s, tick %s)%s",
        facts.getVcpus(), facts.getCpuModel(), facts.getKernelRelease(),
        facts.getCpuidleDriver(), facts.getCpuidleGovernor(), facts.getTickMode(),
        stack.whyNoProbe().map(why -> "; no host-probe: " + why)
            .orElse("; its micro-VMs run by the host-probe through /dev/kvm"));
  }

  private static List<String> notes(List<SeedOutcome> outcomes) {
    List<String> notes = new ArrayList<>();
    for (SeedOutcome outcome : outcomes) {
      long failed = outcome.runs().stream()
          .filter(r -> r.getState() == RunState.RUN_STATE_FAILED).count();
      if (failed > 0) {
        notes.add(outcome.seed().title() + ": " + failed + " of " + outcome.runs().size()
            + " runs failed; the figures leave them out");
      }
      outcome.notTestable().ifPresent(why -> notes.add(outcome.seed().title()
          + ": not testable here: " + why));
      outcome.notRun().ifPresent(why -> notes.add(outcome.seed().title() + ": not run: " + why));
      outcome.experimentId().ifPresent(id -> notes.add(outcome.seed().title() + ": experiment "
          + id + " (./kvmmp get " + id + " while a coordinator on this broker runs)"));
    }
    notes.add("95% intervals: F1 and the fleet ratios from the hierarchical bootstrap that the "
        + "aggregator's fleet comparisons use (hosts, VMs, runs; F3 and F4 are the aggregator's "
        + "own comparisons); per-transaction counts from a bootstrap of runs");
    return notes;
  }

  /** A run failed, or a whole experiment did. */
  private static boolean anyRunFailed(List<SeedOutcome> outcomes) {
    return outcomes.stream().anyMatch(o -> o.notRun().isPresent())
        || outcomes.stream().flatMap(o -> o.runs().stream())
            .anyMatch(r -> r.getState() == RunState.RUN_STATE_FAILED);
  }

  private static void awaitQuietly(CountDownLatch finished) {
    try {
      finished.await(FINISH_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(path);
      }
    }
  }
}

package dev.kvmmp.cli.bench;

import dev.kvmmp.worker.workload.Workloads;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code kvmmp bench fidelity}: runs kvmmp's workloads beside native tools that measure the same
 * thing, to show how much kvmmp's harness adds to the latency it reports.
 */
@Command(name = "fidelity", mixinStandardHelpOptions = true,
    description = {"Compare kvmmp's latency with native tools measuring the same thing "
        + "(sockperf, perf bench sched pipe, ptsematest), in alternating trials on vCPU 0 and "
        + "on vCPUs 0 and 1.",
        "Exit status: 0 when every available row completed, 1 when a trial failed, "
            + "2 on bad arguments."})
final class FidelityCommand implements Callable<Integer> {

  private static final int MAX_REPETITIONS = 1_000;
  private static final int MAX_SECONDS = 3_600;

  @Option(names = "--repetitions", defaultValue = "5", paramLabel = "N",
      description = "Trials per side of each row (default: ${DEFAULT-VALUE}).")
  int repetitions;

  @Option(names = "--seconds", defaultValue = "3", paramLabel = "S",
      description = "Measured seconds per trial, after kvmmp's 1 s warm-up "
          + "(default: ${DEFAULT-VALUE}).")
  int seconds;

  @Option(names = "--pairs", split = ",", defaultValue = "tcp_rr,pipe,condvar",
      paramLabel = "PAIR", description = "Pairs to run (default: ${DEFAULT-VALUE}).")
  List<String> pairs;

  @Option(names = "--csv", paramLabel = "PATH",
      description = "Also write every trial's numbers to this CSV file.")
  Optional<Path> csv;

  @Spec
  CommandSpec command;

  @Override
  public Integer call() {
    requireWithin("--repetitions", repetitions, MAX_REPETITIONS);
    requireWithin("--seconds", seconds, MAX_SECONDS);
    csv.ifPresent(this::requireWritableDirectory);
    PrintWriter out = command.commandLine().getOut();
    PrintWriter err = command.commandLine().getErr();
    try (ChildProcesses children = new ChildProcesses();
        InProcessKvmmpSide kvmmp = new InProcessKvmmpSide(Workloads.all())) {
      List<BenchPair> selected = select(BenchPairs.standard(Executables.fromEnvironment(),
          children));
      List<FidelityRow> rows = run(kvmmp, children, selected, err);
      // A note explains a row's numbers; rows without numbers need none.
      List<String> notes = selected.stream()
          .filter(p -> rows.stream().anyMatch(r -> r.complete() && r.pair().equals(p.name())))
          .flatMap(p -> p.note().stream())
          .toList();
      FidelityTable.print(rows, notes, out);
      boolean failed = rows.stream().anyMatch(FidelityRow::failed);
      if (csv.isPresent()) {
        try {
          FidelityCsv.write(rows, csv.get());
          err.println("fidelity: wrote " + csv.get());
        } catch (IOException e) {
          err.println("fidelity: cannot write --csv " + csv.get() + ": " + e);
          failed = true;
        }
      }
      return failed ? 1 : 0;
    }
  }

  private List<FidelityRow> run(KvmmpSide kvmmp, ChildProcesses children,
      List<BenchPair> selected, PrintWriter err) {
    // On SIGTERM the JVM runs hooks, not finally blocks: stop the peers' processes there too.
    Thread hook = new Thread(children::close, "bench-stop-children");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      return new FidelityBench(kvmmp, repetitions, Duration.ofSeconds(seconds),
          new Progress(err, System::nanoTime)).run(selected);
    } finally {
      removeHook(hook);
    }
  }

  private List<BenchPair> select(Map<String, BenchPair> known) {
    for (String name : pairs) {
      if (!known.containsKey(name)) {
        throw new ParameterException(command.commandLine(), "--pairs: unknown pair '" + name
            + "' (known: " + String.join(", ", BenchPairs.NAMES) + ")");
      }
    }
    // Run in the standard order whatever order they were named in, each once.
    return known.values().stream().filter(p -> pairs.contains(p.name())).toList();
  }

  private void requireWithin(String option, int value, int max) {
    if (value < 1 || value > max) {
      throw new ParameterException(command.commandLine(), option + " must be between 1 and "
          + max + ", got " + value);
    }
  }

  /** Checked before the trials, so a long run is not lost to a typo in the path. */
  private void requireWritableDirectory(Path file) {
    Path directory = file.toAbsolutePath().getParent();
    if (directory == null || !Files.isDirectory(directory) || !Files.isWritable(directory)) {
      throw new ParameterException(command.commandLine(), "--csv: cannot write " + file
          + " (" + directory + " is not a writable directory)");
    }
  }

  private static void removeHook(Thread hook) {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The JVM is already shutting down; the hook is about to run, which is what we want.
    }
  }
}

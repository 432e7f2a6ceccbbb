package dev.kvmmp.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.security.auth.module.UnixSystem;
import dev.kvmmp.probe.events.ExitReasons;
import dev.kvmmp.probe.facts.HostFactsReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code kvmmp bench probe}: what the host-probe costs per sample and in CPU, following 1 and N
 * simulated VMs and one real QEMU VM, each probe in a JVM of its own.
 */
@Command(name = "probe", mixinStandardHelpOptions = true,
    description = {"Measure the host-probe's cost: sample time and CPU %% of one core while it "
        + "samples 1 and --vms simulated QEMU VMs (QMP with a real QEMU's replies, kvm counters "
        + "on real threads) and one real QEMU/KVM VM. Needs root.",
        "Exit status: 0 when every row ran, 1 when a row failed, 2 on bad arguments."})
final class ProbeBenchCommand implements Callable<Integer> {

  private static final int VCPUS = 2;

  @Option(names = "--vms", defaultValue = "50", paramLabel = "N",
      description = "Simulated VMs of the large row (default: ${DEFAULT-VALUE}).")
  int vms;

  @Option(names = "--seconds", defaultValue = "30", paramLabel = "S",
      description = "Measured seconds per row (default: ${DEFAULT-VALUE}).")
  int seconds;

  @Option(names = "--interval", defaultValue = "PT1S", paramLabel = "DURATION",
      description = "Time between samples, ISO-8601 (default: ${DEFAULT-VALUE}).")
  Duration interval;

  @Option(names = "--warmup", defaultValue = "PT30S", paramLabel = "DURATION",
      description = "How long to sample back to back before measuring, so that the JIT has "
          + "compiled what a long-running probe runs (default: ${DEFAULT-VALUE}).")
  Duration warmup;

  @Option(names = "--repetitions", defaultValue = "1", paramLabel = "N",
      description = "Runs of each row, one probe JVM each, alternating rows; the goal is judged "
          + "on the median (default: ${DEFAULT-VALUE}).")
  int repetitions;

  @Option(names = "--probe-jvm-option", paramLabel = "OPTION",
      description = "A JVM option for the probe's JVM, e.g. -XX:+UseSerialGC to see what a "
          + "deployment's flags change; repeatable (default: none, the JVM's defaults).")
  List<String> probeJvmOptions = new ArrayList<>();

  @Spec
  CommandSpec command;

  @Override
  public Integer call() throws IOException {
    validate();
    PrintWriter out = command.commandLine().getOut();
    PrintWriter err = command.commandLine().getErr();
    String isa = ExitReasons.isaOf(new HostFactsReader(Path.of("/")).read().getCpuVendor());
    String prefix = "kvmmp-bench-" + ProcessHandle.current().pid() + "-";
    List<ProbeBenchTable.Row> rows = new ArrayList<>();
    try (ChildProcesses children = new ChildProcesses()) {
      Thread hook = new Thread(children::close, "bench-stop-children");
      Runtime.getRuntime().addShutdownHook(hook);
      Optional<String> noQemu = BenchQemuVm.unavailable();
      for (int r = 1; r <= repetitions; r++) {
        for (int count : vms == 1 ? List.of(1) : List.of(1, vms)) {
          err.printf("probe bench: run %d/%d, %d simulated VM(s)...%n", r, repetitions, count);
          err.flush();
          String rowPrefix = prefix + "sim" + count + "-" + r + "-";
          try (SimulatedVms simulated = SimulatedVms.start(count, VCPUS, rowPrefix)) {
            rows.add(run(children, "simulated", count, rowPrefix, isa));
          }
        }
        if (noQemu.isEmpty()) {
          err.printf("probe bench: run %d/%d, 1 real QEMU VM...%n", r, repetitions);
          err.flush();
          rows.add(runOnQemu(children, prefix + "qemu-" + r, isa));
        }
      }
      noQemu.ifPresent(why -> rows.add(new ProbeBenchTable.Row("qemu (real)", 1,
          Optional.empty(), "skipped: " + why)));
      Runtime.getRuntime().removeShutdownHook(hook);
    }
    ProbeBenchTable.print(rows, interval, warmup, out);
    out.flush();
    return rows.stream().anyMatch(r -> r.run().isEmpty() && !r.note().startsWith("skipped"))
        ? 1 : 0;
  }

  private ProbeBenchTable.Row runOnQemu(ChildProcesses children, String name, String isa) {
    try (BenchQemuVm vm = BenchQemuVm.start(children, name)) {
      return run(children, "qemu (real)", 1, name, isa);
    } catch (TrialException | IOException e) {
      return new ProbeBenchTable.Row("qemu (real)", 1, Optional.empty(), "failed: "
          + e.getMessage());
    }
  }

  private ProbeBenchTable.Row run(ChildProcesses children, String source, int count,
      String namePrefix, String isa) {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> commandLine = new ArrayList<>(List.of(java));
    commandLine.addAll(probeJvmOptions);
    commandLine.addAll(List.of("-cp", System.getProperty("java.class.path"),
        ProbeBenchProcess.class.getName(), "--name-prefix", namePrefix,
        "--vms", Integer.toString(count), "--isa", isa,
        "--interval-ms", Long.toString(interval.toMillis()),
        "--warmup-ms", Long.toString(warmup.toMillis()), "--samples", Long.toString(samples())));
    // Start-up, warm-up, the window, and time to spare for 50 VMs on a slow machine.
    Duration timeout = interval.multipliedBy(samples() + 2).plus(warmup).plusSeconds(120);
    try {
      String output = children.run("probe (" + source + ", " + count + " VMs)", commandLine,
          timeout);
      return new ProbeBenchTable.Row(source, count, Optional.of(parse(output)), "");
    } catch (TrialException e) {
      return new ProbeBenchTable.Row(source, count, Optional.empty(), "failed: "
          + e.getMessage());
    }
  }

  private long samples() {
    return Math.max(1, Duration.ofSeconds(seconds).toNanos() / interval.toNanos());
  }

  private static ProbeRun parse(String output) throws TrialException {
    String line = output.lines().filter(l -> l.startsWith(ProbeBenchProcess.RESULT_PREFIX))
        .reduce((a, b) -> b)
        .orElseThrow(() -> new TrialException("probe printed no result: "
            + OutputText.tail(output, 5)));
    try {
      return new ObjectMapper().readValue(
          line.substring(ProbeBenchProcess.RESULT_PREFIX.length()), ProbeRun.class);
    } catch (IOException e) {
      throw new TrialException("probe printed a result that is not a ProbeRun: " + line, e);
    }
  }

  private void validate() {
    if (repetitions < 1 || repetitions > 100) {
      throw new ParameterException(command.commandLine(),
          "--repetitions must be between 1 and 100, got " + repetitions);
    }
    if (vms < 1 || vms > 500) {
      throw new ParameterException(command.commandLine(), "--vms must be between 1 and 500, got "
          + vms);
    }
    if (seconds < 1 || seconds > 3_600) {
      throw new ParameterException(command.commandLine(),
          "--seconds must be between 1 and 3600, got " + seconds);
    }
    if (interval.toMillis() < 10 || interval.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new ParameterException(command.commandLine(),
          "--interval must be between 10 ms and 1 min, got " + interval);
    }
    if (warmup.isNegative() || warmup.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new ParameterException(command.commandLine(),
          "--warmup must be between 0 and 10 min, got " + warmup);
    }
    if (new UnixSystem().getUid() != 0) {
      throw new ParameterException(command.commandLine(), "kvmmp bench probe needs root, as the "
          + "probe does: to open kvm tracepoint counters on other threads");
    }
    if (!SimulatedVms.shellAvailable()) {
      throw new ParameterException(command.commandLine(), "kvmmp bench probe needs /bin/sh for "
          + "the simulated VMs' processes");
    }
  }
}

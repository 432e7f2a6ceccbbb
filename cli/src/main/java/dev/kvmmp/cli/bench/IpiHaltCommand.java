package dev.kvmmp.cli.bench;

import dev.kvmmp.probe.microvm.IpiHaltResult;
import dev.kvmmp.probe.microvm.IpiHaltRun;
import dev.kvmmp.probe.microvm.IpiHaltSettings;
import dev.kvmmp.probe.microvm.KvmException;
import dev.kvmmp.probe.microvm.Placement;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code kvmmp bench ipi-halt}: the talk's IPI-to-halt wake-up, measured in a two-vCPU micro-VM
 * on this host's /dev/kvm, for both placements of the vCPU threads and each per-VM halt-polling
 * setting.
 */
@Command(name = "ipi-halt", mixinStandardHelpOptions = true,
    description = "Measure the IPI-to-halt wake-up round trip in a micro-VM on /dev/kvm: vCPU "
        + "threads on one or two host CPUs, per-VM halt polling off and on.")
final class IpiHaltCommand implements Callable<Integer> {

  @Option(names = "--round-trips", defaultValue = "5000", paramLabel = "N",
      description = "Measured round trips per run (default: ${DEFAULT-VALUE}).")
  int roundTrips;

  @Option(names = "--warmup", defaultValue = "500", paramLabel = "N",
      description = "Round trips before measuring (default: ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--poll-ns", split = ",", defaultValue = "0,200000", paramLabel = "NS",
      description = "Per-VM halt_poll_ns settings, one run each (default: ${DEFAULT-VALUE}).")
  List<Long> pollNs;

  @Option(names = "--deadline-seconds", defaultValue = "120", paramLabel = "S",
      description = "Limit of each run (default: ${DEFAULT-VALUE}).")
  int deadlineSeconds;

  @Spec
  CommandSpec command;

  @Override
  public Integer call() {
    PrintWriter out = command.commandLine().getOut();
    PrintWriter err = command.commandLine().getErr();
    List<IpiHaltSettings> runs = new ArrayList<>();
    try {
      for (Placement placement : Placement.values()) {
        for (long poll : pollNs) {
          runs.add(IpiHaltSettings.of(poll, placement, roundTrips, warmup,
              Duration.ofSeconds(deadlineSeconds)));
        }
      }
    } catch (IllegalArgumentException e) {
      err.println("kvmmp bench ipi-halt: " + e.getMessage());
      return 2;
    }
    List<IpiHaltResult> results = new ArrayList<>();
    IpiHaltTable.printHeader(out);
    for (IpiHaltSettings settings : runs) {
      err.printf("ipi-halt: placement %s, halt_poll_ns %d%n", settings.placement().label(),
          settings.haltPollNs().getAsLong());
      try {
        IpiHaltResult result = new IpiHaltRun(settings).run(p -> { });
        results.add(result);
        IpiHaltTable.printRow(result, out);
      } catch (KvmException | IllegalArgumentException e) {
        IpiHaltTable.printFailure(new IpiHaltTable.Failure(settings.placement().label(),
            String.valueOf(settings.haltPollNs().getAsLong()), e.getMessage()), out);
      }
    }
    IpiHaltTable.printNotes(results, out);
    return results.size() == runs.size() ? 0 : 1;
  }
}

package dev.kvmmp.cli;

import dev.kvmmp.cli.output.ExperimentReport;
import dev.kvmmp.proto.v1.Experiment;
import dev.kvmmp.proto.v1.GetExperimentResponse;
import dev.kvmmp.proto.v1.KnobValue;
import dev.kvmmp.proto.v1.WorkerInfo;
import io.grpc.ManagedChannel;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** The commands that look at or change experiments and workers on a running coordinator. */
final class ExperimentCommands {

  private ExperimentCommands() {}

  /** Base for commands that make calls to the coordinator. */
  abstract static class CoordinatorCall implements Callable<Integer> {

    @Mixin
    CoordinatorOptions coordinator;

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Override
    public final Integer call() {
      ManagedChannel channel = coordinator.open();
      try {
        return call(new CoordinatorClient(channel), command.commandLine().getOut());
      } finally {
        channel.shutdownNow();
      }
    }

    abstract int call(CoordinatorClient client, PrintWriter out);
  }

  @Command(name = "get", description = "Show an experiment and its runs.")
  static final class Get extends CoordinatorCall {

    @Parameters(paramLabel = "ID")
    String id;

    @Override
    int call(CoordinatorClient client, PrintWriter out) {
      ExperimentReport.print(client.get(id), out);
      return ExitCodes.OK;
    }
  }

  @Command(name = "watch", description = "Follow an experiment to its end, then show its runs.")
  static final class Watch extends CoordinatorCall {

    @Parameters(paramLabel = "ID")
    String id;

    @Override
    int call(CoordinatorClient client, PrintWriter out) {
      GetExperimentResponse done = new ExperimentFollower(client, System.err,
          System.console() != null).follow(id);
      ExperimentReport.print(done, out);
      return ExperimentFollower.succeeded(done.getExperiment())
          ? ExitCodes.OK : ExitCodes.RUNS_FAILED;
    }
  }

  @Command(name = "list", description = "List experiments, newest first.")
  static final class ListExperiments extends CoordinatorCall {

    @Option(names = "--limit", defaultValue = "20", description = "At most this many.")
    int limit;

    @Override
    int call(CoordinatorClient client, PrintWriter out) {
      for (Experiment e : client.list(limit)) {
        out.println(ExperimentReport.headline(e));
      }
      return ExitCodes.OK;
    }
  }

  @Command(name = "cancel", description = "Cancel an experiment's unfinished runs.")
  static final class Cancel extends CoordinatorCall {

    @Parameters(paramLabel = "ID")
    String id;

    @Option(names = "--reason", defaultValue = "cancelled by user")
    String reason;

    @Override
    int call(CoordinatorClient client, PrintWriter out) {
      out.println(ExperimentReport.headline(client.cancel(id, reason)));
      return ExitCodes.OK;
    }
  }

  @Command(name = "workers", description = "List connected workers and their facts.")
  static final class Workers extends CoordinatorCall {

    @Option(names = "--knobs", description = "Also list each guest's knobs and their values.")
    boolean knobs;

    @Override
    int call(CoordinatorClient client, PrintWriter out) {
      List<WorkerInfo> workers = client.workers();
      out.printf(Locale.ROOT, "%-16s %-5s %-28s %-20s %-30s %-14s%n", "worker", "vcpus",
          "cpu", "kernel", "workloads", "run");
      for (WorkerInfo w : workers) {
        out.printf(Locale.ROOT, "%-16s %-5d %-28s %-20s %-30s %-14s%n", w.getWorkerId(),
            w.getFacts().getVcpus(), w.getFacts().getCpuModel(),
            w.getFacts().getKernelRelease(), String.join(",", w.getWorkloadsList()),
            w.getCurrentRunId().isEmpty() ? "idle" : w.getCurrentRunId());
        if (knobs) {
          for (KnobValue knob : w.getFacts().getGuestKnobsList()) {
            out.printf(Locale.ROOT, "    %-40s %-24s %s%n", knob.getName(), knob.getValue(),
                knob.getWritable() ? "writable" : "read-only");
          }
        }
      }
      out.printf(Locale.ROOT, "%d worker(s) connected%n", workers.size());
      return ExitCodes.OK;
    }
  }
}

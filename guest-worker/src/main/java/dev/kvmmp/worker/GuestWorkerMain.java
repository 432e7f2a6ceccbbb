package dev.kvmmp.worker;

import dev.kvmmp.worker.facts.DmesgBootLog;
import dev.kvmmp.worker.facts.GuestFactsReader;
import dev.kvmmp.worker.knobs.GuestKnobs;
import dev.kvmmp.worker.session.GuestWorker;
import dev.kvmmp.worker.workload.Workloads;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** Runs a guest-worker inside this VM until it is stopped. */
@Command(name = "kvmmp-worker", mixinStandardHelpOptions = true,
    description = "The kvmmp guest-worker: runs message-passing workloads in this VM.")
public final class GuestWorkerMain implements Callable<Integer> {

  @Option(names = "--coordinator", defaultValue = "127.0.0.1:7070",
      description = "Coordinator address host:port (default: ${DEFAULT-VALUE}).")
  String coordinator;

  @Option(names = "--worker-id",
      description = "Name of this worker, unique among connected workers (default: the VM's "
          + "hostname).")
  String workerId;

  @Option(names = "--parent-pid",
      description = "Exit when the process with this pid exits (kvmmp local uses it, so that no "
          + "worker outlives it).")
  Long parentPid;

  @Option(names = "--state-dir", defaultValue = "/var/lib/kvmmp",
      description = "Directory for state that must outlive the worker: the journal of guest "
          + "knobs to put back if the worker dies mid-run (default: ${DEFAULT-VALUE}).")
  Path stateDir;

  @Override
  public Integer call() throws Exception {
    if (parentPid != null) {
      ProcessHandle.of(parentPid).ifPresentOrElse(
          parent -> parent.onExit().thenRun(() -> System.exit(0)),
          () -> System.exit(0));
    }
    // Before anything reads facts: a worker killed mid-run may have left knobs changed.
    Path journal = GuestKnobs.journalIn(stateDir);
    GuestKnobs.recover(journal, Path.of("/"));
    GuestKnobs knobs = new GuestKnobs(Path.of("/"), journal);
    GuestFactsReader facts = new GuestFactsReader(Path.of("/"), new DmesgBootLog().once());
    String id = workerId != null ? workerId : facts.read().getHostname();
    ManagedChannel channel = Grpc.newChannelBuilder(coordinator,
        InsecureChannelCredentials.create()).build();
    GuestWorker worker = new GuestWorker(channel, id, facts::read,
        Workloads.all(), knobs);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      worker.close();
      channel.shutdown();
    }));
    try {
      worker.run();
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    return 0;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new GuestWorkerMain()).execute(args));
  }
}

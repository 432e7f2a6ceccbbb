package dev.kvmmp.worker;

import dev.kvmmp.proto.v1.GuestFacts;
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
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** Runs a guest-worker inside this VM until it is stopped. */
@Command(name = "kvmmp-worker", mixinStandardHelpOptions = true,
    description = "The kvmmp guest-worker: runs message-passing workloads in this VM.")
public final class GuestWorkerMain implements Callable<Integer> {

  /** Longest --vm-identity accepted: a UUID is 36 characters, a hostname at most 64. */
  static final int VM_IDENTITY_LIMIT = 128;

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

  @Option(names = "--vm-identity",
      description = "Identity of this VM as the probe on its host knows it (QEMU's -uuid), for "
          + "guests whose SMBIOS UUID is not readable (default: read from the guest).")
  String vmIdentity;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    validateVmIdentity();
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
    Supplier<GuestFacts> guestFacts = vmIdentity == null ? facts::read
        : withVmIdentity(facts::read, vmIdentity);
    String id = workerId != null ? workerId : facts.read().getHostname();
    ManagedChannel channel = Grpc.newChannelBuilder(coordinator,
        InsecureChannelCredentials.create()).build();
    GuestWorker worker = new GuestWorker(channel, id, guestFacts,
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

  /** The facts read, with the VM identity given on the command line in place of the guest's. */
  static Supplier<GuestFacts> withVmIdentity(Supplier<GuestFacts> facts, String vmIdentity) {
    return () -> facts.get().toBuilder()
        .setVmIdentity(vmIdentity)
        .setVmIdentitySource("option")
        .build();
  }

  private void validateVmIdentity() {
    if (vmIdentity == null) {
      return;
    }
    if (vmIdentity.isBlank()) {
      throw new ParameterException(spec.commandLine(),
          "--vm-identity: '" + vmIdentity + "' is blank (give the VM's identity, e.g. its UUID)");
    }
    if (vmIdentity.length() > VM_IDENTITY_LIMIT) {
      throw new ParameterException(spec.commandLine(), "--vm-identity: '" + vmIdentity
          + "' is " + vmIdentity.length() + " characters long (limit " + VM_IDENTITY_LIMIT
          + ")");
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new GuestWorkerMain()).execute(args));
  }
}

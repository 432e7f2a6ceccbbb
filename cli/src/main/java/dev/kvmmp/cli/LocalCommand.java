package dev.kvmmp.cli;

import dev.kvmmp.cli.local.LocalWorkerProcess;
import dev.kvmmp.coordinator.CoordinatorMain;
import dev.kvmmp.coordinator.CoordinatorServer;
import dev.kvmmp.proto.v1.ExperimentSpec;
import dev.kvmmp.proto.v1.WorkerInfo;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Everything on this machine: a coordinator in this process and guest-workers as child
 * processes. With a spec file, runs that experiment and exits; without, serves until Ctrl-C.
 */
@Command(name = "local",
    description = "Run a coordinator and local guest-workers on this machine; with FILE, run that "
        + "experiment, print its runs and exit.")
final class LocalCommand implements Callable<Integer> {

  private static final Duration REGISTRATION_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(1);

  @Parameters(paramLabel = "FILE", arity = "0..1",
      description = "Experiment spec to run, e.g. seeds/quickstart/tcp_rr.yaml")
  Path file;

  @Option(names = "--port", defaultValue = "7070",
      description = "Coordinator port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--workers", defaultValue = "1",
      description = "Local guest-workers to start, 1-16 (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--state-dir", defaultValue = ".kvmmp",
      description = "Where local state and logs go (default: ${DEFAULT-VALUE}).")
  Path stateDir;

  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = command.commandLine().getOut();
    PrintWriter err = command.commandLine().getErr();
    if (workers < 1 || workers > 16) {
      err.printf("kvmmp local: --workers: %d is outside 1-16%n", workers);
      return ExitCodes.BAD_INPUT;
    }
    ExperimentSpec spec = null;
    if (file != null) {
      Optional<ExperimentSpec> read = SpecFiles.read(file, err);
      if (read.isEmpty()) {
        return ExitCodes.BAD_INPUT;
      }
      spec = read.get();
    }
    CoordinatorServer server;
    try {
      server = CoordinatorMain.start("127.0.0.1", port, HEARTBEAT_INTERVAL);
    } catch (IOException e) {
      err.printf("kvmmp local: cannot listen on 127.0.0.1:%d (%s); pass --port 0 or a free "
          + "port%n", port, e.getCause() != null ? e.getCause().getMessage() : e.getMessage());
      return ExitCodes.UNAVAILABLE;
    }
    String address = "127.0.0.1:" + server.port();
    List<LocalWorkerProcess> children = new ArrayList<>();
    Thread cleanup = new Thread(() -> stopAll(children, server));
    Runtime.getRuntime().addShutdownHook(cleanup);
    CoordinatorOptions options = new CoordinatorOptions();
    options.address = address;
    ManagedChannel channel = options.open();
    try {
      out.printf("kvmmp local: coordinator on %s%n", address);
      out.flush();
      for (int i = 1; i <= workers; i++) {
        String id = "local-" + i;
        children.add(LocalWorkerProcess.start(id, address, stateDir.resolve("logs"),
            stateDir.resolve("workers").resolve(id)));
      }
      CoordinatorClient client = new CoordinatorClient(channel);
      List<WorkerInfo> connected = awaitRegistration(client, children, err);
      if (connected == null) {
        return ExitCodes.UNAVAILABLE;
      }
      for (WorkerInfo w : connected) {
        out.printf(Locale.ROOT, "kvmmp local: worker %s connected: %d vCPUs, %s, kernel %s, "
                + "cpuidle %s/%s, log %s%n", w.getWorkerId(), w.getFacts().getVcpus(),
            w.getFacts().getCpuModel(), w.getFacts().getKernelRelease(),
            w.getFacts().getCpuidleDriver(), w.getFacts().getCpuidleGovernor(),
            stateDir.resolve("logs").resolve(w.getWorkerId() + ".log"));
      }
      out.flush();
      if (spec != null) {
        return SubmitCommand.submit(client, spec, true, out);
      }
      out.printf("kvmmp local: ready. In another terminal: ./kvmmp submit FILE --wait "
          + "--coordinator %s   (Ctrl-C here stops everything)%n", address);
      out.flush();
      new CountDownLatch(1).await();
      return ExitCodes.OK;
    } finally {
      channel.shutdownNow();
      stopAll(children, server);
      Runtime.getRuntime().removeShutdownHook(cleanup);
    }
  }

  /** @return the connected workers, or null (after saying why) if one died or time ran out */
  private List<WorkerInfo> awaitRegistration(CoordinatorClient client,
      List<LocalWorkerProcess> children, PrintWriter err) throws InterruptedException {
    long deadline = System.nanoTime() + REGISTRATION_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      List<WorkerInfo> connected = client.workers();
      if (connected.size() == children.size()) {
        return connected;
      }
      for (LocalWorkerProcess child : children) {
        if (!child.isAlive()) {
          err.printf("kvmmp local: worker %s exited before connecting; end of %s:%n%s%n",
              child.workerId(), child.log(), child.logTail(20));
          return null;
        }
      }
      Thread.sleep(100);
    }
    err.printf("kvmmp local: workers did not connect within %d s; see %s%n",
        REGISTRATION_TIMEOUT.toSeconds(), stateDir.resolve("logs"));
    return null;
  }

  private static synchronized void stopAll(List<LocalWorkerProcess> children,
      CoordinatorServer server) {
    try {
      for (LocalWorkerProcess child : children) {
        child.close();
      }
      children.clear();
      server.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

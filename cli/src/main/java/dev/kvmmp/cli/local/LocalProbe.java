package dev.kvmmp.cli.local;

import dev.kvmmp.probe.daemon.ProbeConfig;
import dev.kvmmp.probe.daemon.ProbeDaemon;
import dev.kvmmp.probe.daemon.SampleSinks;
import dev.kvmmp.proto.v1.HostInfo;
import dev.kvmmp.proto.v1.InventoryServiceGrpc;
import dev.kvmmp.proto.v1.ListHostsRequest;
import io.grpc.Channel;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host-probe of {@code kvmmp local}, in this process: connected to the local coordinator so
 * that host workloads (the ipi_halt micro-VM) can run, and sampling into the local broker.
 * Closing it puts back the host knobs it set.
 */
public final class LocalProbe implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LocalProbe.class);
  private static final Duration CALL_DEADLINE = Duration.ofSeconds(10);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private final ProbeDaemon daemon;
  private final Thread runner;
  private final HostInfo host;
  private final Path stateDir;

  private LocalProbe(ProbeDaemon daemon, Thread runner, HostInfo host, Path stateDir) {
    this.daemon = daemon;
    this.runner = runner;
    this.host = host;
    this.stateDir = stateDir;
  }

  /**
   * Why a probe cannot run in this process; empty when it can.
   *
   * @param uid this process's user id
   * @param devKvm the KVM device, which the probe's micro-VM opens read-write
   */
  public static Optional<String> whyNot(long uid, Path devKvm) {
    if (uid != 0) {
      return Optional.of("not root (uid " + uid + "), and the probe needs root for the host's "
          + "KVM counters and knobs; host workloads (ipi_halt) cannot run; run as root for one");
    }
    try (FileChannel kvm = FileChannel.open(devKvm, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      return Optional.empty();
    } catch (NoSuchFileException e) {
      return Optional.of("open(" + devKvm + ", O_RDWR): ENOENT, this machine has no KVM; host "
          + "workloads (ipi_halt) cannot run");
    } catch (AccessDeniedException e) {
      return Optional.of("open(" + devKvm + ", O_RDWR): EACCES; host workloads (ipi_halt) "
          + "cannot run");
    } catch (IOException e) {
      return Optional.of("open(" + devKvm + ", O_RDWR): " + e.getMessage() + "; host workloads "
          + "(ipi_halt) cannot run");
    }
  }

  /**
   * Starts a probe of this host and waits until the coordinator lists it.
   *
   * @param kafka where the samples go; empty logs them
   * @param stateDir the journal of host knobs to put back, also after a crash
   * @param coordinatorChannel a channel to the same coordinator, to see the probe registered
   * @throws LocalStartException when the probe cannot start or does not register in time
   */
  public static LocalProbe start(String coordinator, Optional<String> kafka, Path stateDir,
      Channel coordinatorChannel, Duration timeout)
      throws LocalStartException, InterruptedException {
    ProbeConfig defaults = ProbeConfig.defaults(Path.of("/"), stateDir);
    ProbeConfig config = new ProbeConfig(Optional.of(coordinator), kafka, Optional.empty(),
        defaults.interval(), defaults.root(), stateDir, defaults.metricsBind(),
        OptionalInt.empty(), defaults.heartbeat(), defaults.knobAllowlist());
    ProbeDaemon daemon;
    try {
      daemon = ProbeDaemon.start(config, registry -> SampleSinks.create(kafka, registry));
    } catch (IOException | IllegalArgumentException e) {
      throw new LocalStartException("the host-probe did not start: " + e.getMessage(), e);
    }
    Thread runner = new Thread(() -> {
      try {
        daemon.run();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "kvmmp-local-probe");
    runner.setDaemon(true);
    runner.start();
    return new LocalProbe(daemon, runner, awaitRegistration(daemon, coordinatorChannel, timeout),
        stateDir);
  }

  private static HostInfo awaitRegistration(ProbeDaemon daemon, Channel channel,
      Duration timeout) throws LocalStartException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (System.nanoTime() < deadline) {
        Optional<HostInfo> host = InventoryServiceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
            .listHosts(ListHostsRequest.getDefaultInstance()).getHostsList().stream()
            .filter(h -> h.getFacts().getHostId().equals(daemon.hostId())).findFirst();
        if (host.isPresent()) {
          return host.get();
        }
        Thread.sleep(100);
      }
    } catch (RuntimeException | InterruptedException e) {
      daemon.close();
      throw e;
    }
    daemon.close();
    throw new LocalStartException("the host-probe of host " + daemon.hostId() + " did not "
        + "register with the coordinator within " + timeout.toSeconds() + " s");
  }

  /** What the probe is: its host, the host workloads it runs and where its knob journal is. */
  public String describe() {
    return "host-probe of host " + host.getFacts().getHostname() + " connected: workloads "
        + (host.getWorkloadsCount() == 0 ? "none" : String.join(", ", host.getWorkloadsList()))
        + ", host knob journal in " + stateDir;
  }

  /** Stops the probe after putting back the host knobs it set. */
  @Override
  public void close() throws InterruptedException {
    daemon.close();
    runner.join(STOP_TIMEOUT.toMillis());
    if (runner.isAlive()) {
      log.warn("the host-probe's thread did not end within {} s of closing it",
          STOP_TIMEOUT.toSeconds());
    }
  }
}

package dev.kvmmp.probe.daemon;

import com.sun.security.auth.module.UnixSystem;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs the host-probe daemon on a KVM host until it is stopped. */
@Command(name = "kvmmp-probe", mixinStandardHelpOptions = true,
    description = "The kvmmp host-probe: samples the KVM counters of this host's QEMU VMs, "
        + "streams them, and sets host knobs for the coordinator. Needs root.")
public final class ProbeMain implements Callable<Integer> {

  static final int OK = 0;
  static final int BAD_INPUT = 2;

  @Option(names = "--coordinator", description = "Coordinator address host:port; without it "
      + "the probe only samples.")
  String coordinator;

  @Option(names = "--kafka", description = "Kafka bootstrap servers for the samples; without "
      + "it they are logged.")
  String kafka;

  @Option(names = "--host-id", description = "This host's name (default: /etc/machine-id).")
  String hostId;

  @Option(names = "--interval", defaultValue = "PT1S",
      description = "Time between periodic samples, ISO-8601 (default: ${DEFAULT-VALUE}).")
  Duration interval;

  @Option(names = "--root", defaultValue = "/",
      description = "File system root for /sys, /proc and /etc (default: ${DEFAULT-VALUE}).")
  Path root;

  @Option(names = "--state-dir", defaultValue = "/var/lib/kvmmp/probe",
      description = "Directory for the journal of host knobs to put back if the probe dies "
          + "(default: ${DEFAULT-VALUE}).")
  Path stateDir;

  @Option(names = "--metrics-port", defaultValue = "9464",
      description = "Port of the Prometheus endpoint /metrics; 0 picks a free one "
          + "(default: ${DEFAULT-VALUE}).")
  int metricsPort;

  @Option(names = "--metrics-bind", defaultValue = "127.0.0.1",
      description = "Address of the metrics endpoint (default: ${DEFAULT-VALUE}).")
  String metricsBind;

  @Option(names = "--allow-knob", split = ",",
      defaultValue = "halt_poll_ns,halt_poll_ns_grow,halt_poll_ns_grow_start,halt_poll_ns_shrink",
      description = "Host knobs the coordinator may set (default: ${DEFAULT-VALUE}).")
  List<String> allowedKnobs;

  @Spec
  CommandLine.Model.CommandSpec command;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = command.commandLine().getErr();
    ProbeConfig config;
    try {
      config = new ProbeConfig(Optional.ofNullable(coordinator), Optional.ofNullable(kafka),
          Optional.ofNullable(hostId), interval, root, stateDir, metricsBind,
          OptionalInt.of(metricsPort), Duration.ofSeconds(1), Set.copyOf(allowedKnobs));
    } catch (IllegalArgumentException e) {
      err.println("kvmmp-probe: " + e.getMessage());
      return BAD_INPUT;
    }
    return serve(config, new UnixSystem().getUid(), err);
  }

  /**
   * Runs a probe until SIGTERM or Ctrl-C, putting back the host knobs it set before exiting.
   *
   * @param uid this process's user id: the probe refuses to start unless it is root
   * @return the exit status
   */
  public static int serve(ProbeConfig config, long uid, PrintWriter err)
      throws InterruptedException {
    Optional<String> refusal = refusal(uid);
    if (refusal.isPresent()) {
      err.println("kvmmp probe: " + refusal.get());
      err.flush();
      return BAD_INPUT;
    }
    ProbeDaemon daemon;
    try {
      daemon = ProbeDaemon.start(config,
          registry -> SampleSinks.create(config.kafka(), registry));
    } catch (IllegalArgumentException | java.io.IOException e) {
      err.println("kvmmp probe: " + e.getMessage());
      err.flush();
      return BAD_INPUT;
    }
    // SIGTERM and Ctrl-C run this hook; the JVM waits for it, so the knobs are back before exit.
    Thread hook = new Thread(() -> {
      try {
        daemon.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "kvmmp-probe-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      daemon.run();
    } finally {
      daemon.close();
    }
    return OK;
  }

  /** Why a process of user {@code uid} cannot be the probe; empty for root. */
  public static Optional<String> refusal(long uid) {
    if (uid == 0) {
      return Optional.empty();
    }
    return Optional.of("needs root, and runs as uid " + uid + ": it reads the KVM counters of "
        + "other users' QEMU processes over their QMP sockets, counts kvm:* events on their vCPU "
        + "threads and writes /sys/module/kvm/parameters; run it as root (sudo)");
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new ProbeMain()).execute(args));
  }
}

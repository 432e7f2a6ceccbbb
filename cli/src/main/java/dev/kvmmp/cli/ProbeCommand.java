package dev.kvmmp.cli;

import com.google.protobuf.util.JsonFormat;
import com.sun.security.auth.module.UnixSystem;
import dev.kvmmp.cli.output.SampleRates;
import dev.kvmmp.probe.daemon.ProbeConfig;
import dev.kvmmp.probe.daemon.ProbeMain;
import dev.kvmmp.probe.discovery.QemuProcesses;
import dev.kvmmp.probe.events.ExitReasons;
import dev.kvmmp.probe.facts.HostFactsReader;
import dev.kvmmp.probe.sampling.HostSampler;
import dev.kvmmp.proto.v1.HostFacts;
import dev.kvmmp.proto.v1.HostSample;
import dev.kvmmp.proto.v1.KnobValue;
import dev.kvmmp.proto.v1.SampleKind;
import dev.kvmmp.proto.v1.VmCounters;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The host-probe on this machine, in the foreground: the host's facts, then a sample of every
 * QEMU VM's KVM counters each interval. With {@code --coordinator}, {@code --kafka} or
 * {@code --metrics-port} it runs the probe daemon instead, until Ctrl-C or SIGTERM.
 */
@Command(name = "probe",
    description = "Run the host-probe here: print this KVM host's facts, then every interval "
        + "each QEMU VM's KVM counter rates (or the raw samples as JSON lines); with "
        + "--coordinator, --kafka or --metrics-port, run the probe daemon instead. Needs root.")
final class ProbeCommand implements Callable<Integer> {

  @Option(names = "--interval", defaultValue = "PT1S",
      description = "Time between samples, ISO-8601 (default: ${DEFAULT-VALUE}).")
  Duration interval;

  @Option(names = "--count", defaultValue = "0",
      description = "Stop after this many samples; 0 runs until Ctrl-C (default).")
  long count;

  @Option(names = "--json", description = "Print each sample as one line of JSON.")
  boolean json;

  @Option(names = "--coordinator", description = "Run the daemon, connected to the coordinator "
      + "at host:port: it registers this host's VMs and sets knobs and takes snapshots for runs.")
  String coordinator;

  @Option(names = "--kafka", description = "Run the daemon, publishing samples to these Kafka "
      + "bootstrap servers.")
  String kafka;

  @Option(names = "--metrics-port", description = "Run the daemon, serving Prometheus metrics "
      + "on 127.0.0.1:PORT/metrics (0 picks a free port).")
  Integer metricsPort;

  @Spec
  picocli.CommandLine.Model.CommandSpec command;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = command.commandLine().getOut();
    PrintWriter err = command.commandLine().getErr();
    Optional<String> refusal = ProbeMain.refusal(new UnixSystem().getUid());
    if (refusal.isPresent()) {
      err.println("kvmmp probe: " + refusal.get());
      return ExitCodes.BAD_INPUT;
    }
    if (interval.isNegative() || interval.isZero() || interval.compareTo(Duration.ofHours(1)) > 0
        || count < 0) {
      err.printf("kvmmp probe: --interval %s must be above 0 and at most 1 h, --count %d at "
          + "least 0%n", interval, count);
      return ExitCodes.BAD_INPUT;
    }
    if (coordinator != null || kafka != null || metricsPort != null) {
      return daemon(err);
    }
    HostFacts facts = new HostFactsReader(Path.of("/")).read();
    describe(facts, out);
    String isa = ExitReasons.isaOf(facts.getCpuVendor());
    JsonFormat.Printer printer = JsonFormat.printer().omittingInsignificantWhitespace();
    try (HostSampler sampler = new HostSampler(new QemuProcesses(Path.of("/proc")),
        facts.getHostId(), isa, Clock.systemUTC())) {
      HostSample previous = null;
      for (long n = 0; count == 0 || n < count; n++) {
        if (n > 0) {
          Thread.sleep(interval.toMillis());
        }
        HostSample sample = sampler.sample(SampleKind.SAMPLE_KIND_PERIODIC, "");
        if (json) {
          out.println(printer.print(sample));
        } else if (previous != null) {
          if (sample.getVmsCount() == 0) {
            out.printf("[%d] no QEMU VM with a QMP socket on this host%n", sample.getSequence());
          }
          for (VmCounters vm : sample.getVmsList()) {
            out.println(SampleRates.line(previous, sample, vm));
          }
        }
        out.flush();
        previous = sample;
      }
    }
    return ExitCodes.OK;
  }

  private int daemon(PrintWriter err) throws InterruptedException {
    ProbeConfig defaults = ProbeConfig.defaults(Path.of("/"), Path.of("/var/lib/kvmmp/probe"));
    ProbeConfig config;
    try {
      config = new ProbeConfig(Optional.ofNullable(coordinator), Optional.ofNullable(kafka),
          Optional.empty(), interval, defaults.root(), defaults.stateDir(),
          defaults.metricsBind(), metricsPort == null ? OptionalInt.empty()
              : OptionalInt.of(metricsPort), defaults.heartbeat(), defaults.knobAllowlist());
    } catch (IllegalArgumentException e) {
      err.println("kvmmp probe: " + e.getMessage());
      return ExitCodes.BAD_INPUT;
    }
    return ProbeMain.serve(config, new UnixSystem().getUid(), err);
  }

  private static void describe(HostFacts facts, PrintWriter out) {
    out.printf(Locale.ROOT, "host %s: %s (%s), %d CPUs, kernel %s, lockdown %s%n",
        facts.getHostname(), facts.getCpuModel(), facts.getCpuGeneration(), facts.getCpus(),
        facts.getKernelRelease(), facts.getLockdown().isEmpty() ? "unknown" : facts.getLockdown());
    out.println("kvm parameters: " + facts.getKvmParamsList().stream()
        .filter(p -> p.getName().contains("halt_poll"))
        .map(ProbeCommand::knob)
        .collect(Collectors.joining(", ")));
    out.flush();
  }

  private static String knob(KnobValue value) {
    return value.getName() + "=" + value.getValue() + (value.getWritable() ? "" : " (read-only)");
  }
}

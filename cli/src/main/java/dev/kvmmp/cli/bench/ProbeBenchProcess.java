package dev.kvmmp.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kvmmp.probe.discovery.QemuProcesses;
import dev.kvmmp.probe.discovery.VmDiscovery;
import dev.kvmmp.probe.sampling.HostSampler;
import dev.kvmmp.proto.v1.HostSample;
import dev.kvmmp.proto.v1.SampleKind;
import dev.kvmmp.proto.v1.VmCounters;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The probe under measurement, in a JVM of its own so that its CPU time is the probe's alone: the
 * real {@link HostSampler} over the real {@code /proc} scan, following only the VMs whose name
 * starts with a prefix (other VMs on the host, e.g. other tests', are scanned past but not
 * followed). Waits until it follows them all, warms up, then samples at the interval and prints
 * one {@link ProbeRun} as JSON after {@link #RESULT_PREFIX}.
 */
@Command(name = "probe-bench-process")
public final class ProbeBenchProcess implements Callable<Integer> {

  static final String RESULT_PREFIX = "probe-bench-result ";
  private static final long FOLLOW_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(30);

  @Option(names = "--name-prefix", required = true)
  String namePrefix;

  @Option(names = "--vms", required = true)
  int vms;

  @Option(names = "--isa", required = true)
  String isa;

  @Option(names = "--interval-ms", required = true)
  long intervalMillis;

  @Option(names = "--warmup-ms", required = true)
  long warmupMillis;

  @Option(names = "--samples", required = true)
  int samples;

  public static void main(String[] args) {
    System.exit(new CommandLine(new ProbeBenchProcess()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    QemuProcesses qemu = new QemuProcesses(Path.of("/proc"));
    VmDiscovery ours = () -> qemu.discover().stream()
        .filter(vm -> vm.name().filter(n -> n.startsWith(namePrefix)).isPresent())
        .toList();
    try (HostSampler sampler = new HostSampler(ours, "probe-bench", isa, Clock.systemUTC())) {
      awaitFollowingAll(sampler);
      // Back to back, so that the JIT compiles the hot paths as a long-running probe would have.
      long warmupEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(warmupMillis);
      do {
        sampler.sample(SampleKind.SAMPLE_KIND_PERIODIC, "");
      } while (System.nanoTime() < warmupEnd);
      // Let the JIT finish what the warm-up queued before the window opens.
      Thread.sleep(TimeUnit.NANOSECONDS.toMillis(intervalNanos()) + 1_000);
      ProbeRun run = measure(sampler);
      System.out.println(RESULT_PREFIX + new ObjectMapper().writeValueAsString(run));
      return 0;
    }
  }

  private void awaitFollowingAll(HostSampler sampler) throws InterruptedException {
    long deadline = System.nanoTime() + FOLLOW_TIMEOUT_NANOS;
    while (true) {
      HostSample sample = sampler.sample(SampleKind.SAMPLE_KIND_PERIODIC, "");
      long complete = sample.getVmsList().stream().filter(v -> v.getMissingCount() == 0).count();
      if (complete == vms) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("probe follows " + complete + " of " + vms + " VMs named "
            + namePrefix + "* without anything missing after "
            + TimeUnit.NANOSECONDS.toSeconds(FOLLOW_TIMEOUT_NANOS) + " s; last sample: "
            + sample.getVmsList().stream().flatMap(v -> v.getMissingList().stream()).limit(3)
            .toList());
      }
      Thread.sleep(100);
    }
  }

  private ProbeRun measure(HostSampler sampler) throws Exception {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long interval = intervalNanos();
    List<Long> durations = new ArrayList<>(samples);
    int minVms = Integer.MAX_VALUE;
    int missing = 0;
    String firstMissing = "";
    HostSample last = null;
    long gcCount = -gcCount();
    long gcMillis = -gcMillis();
    long samplerCpu = -threads.getCurrentThreadCpuTime();
    long processCpu = -ProcessCpu.selfNanos();
    long start = System.nanoTime();
    for (int k = 0; k < samples; k++) {
      parkUntil(start + k * interval);
      long before = System.nanoTime();
      last = sampler.sample(SampleKind.SAMPLE_KIND_PERIODIC, "");
      durations.add(System.nanoTime() - before);
      minVms = Math.min(minVms, last.getVmsCount());
      for (VmCounters vm : last.getVmsList()) {
        missing += vm.getMissingCount();
        if (firstMissing.isEmpty() && vm.getMissingCount() > 0) {
          firstMissing = vm.getMissing(0);
        }
      }
    }
    parkUntil(start + samples * interval);
    long window = System.nanoTime() - start;
    processCpu += ProcessCpu.selfNanos();
    samplerCpu += threads.getCurrentThreadCpuTime();
    gcCount += gcCount();
    gcMillis += gcMillis();
    return new ProbeRun(vms, durations, window, processCpu, samplerCpu, gcCount, gcMillis, minVms,
        missing, firstMissing, last.getSerializedSize());
  }

  private long intervalNanos() {
    return TimeUnit.MILLISECONDS.toNanos(intervalMillis);
  }

  private static void parkUntil(long deadline) {
    for (long left; (left = deadline - System.nanoTime()) > 0; ) {
      LockSupport.parkNanos(left);
    }
  }

  private static long gcCount() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
  }

  private static long gcMillis() {
    return ManagementFactory.getGarbageCollectorMXBeans().stream()
        .mapToLong(GarbageCollectorMXBean::getCollectionTime).sum();
  }
}

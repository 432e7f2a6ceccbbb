package dev.kvmmp.cli.bench;

import com.google.protobuf.util.Timestamps;
import dev.kvmmp.proto.v1.HostSample;
import dev.kvmmp.proto.v1.SampleKind;
import dev.kvmmp.proto.v1.VmCounters;

/**
 * The host samples of a simulated fleet as a probe would send them: each host's VMs with the KVM
 * stats a probe reads over QMP, every counter growing at its own steady rate, and a sequence per
 * host. Not thread-safe: one generator thread owns it.
 */
final class SimulatedHostSamples {

  /** KVM stats by the kernel's names, and how many each VM adds per second. */
  private static final String[] STATS = {"exits", "halt_exits", "halt_attempted_poll",
      "halt_successful_poll", "halt_poll_invalid", "halt_wakeup", "halt_poll_success_ns",
      "halt_poll_fail_ns", "halt_wait_ns", "irq_exits", "io_exits", "mmio_exits",
      "signal_exits", "request_irq_exits", "insn_emulation"};
  private static final long[] PER_SECOND = {52_000, 21_000, 9_000, 7_500, 12, 20_500,
      3_100_000, 900_000, 610_000_000, 4_000, 350, 1_200, 40, 15, 2_300};

  private final int vms;
  private final long[] sequence;
  private final long startMillis;

  SimulatedHostSamples(int hosts, int vms, long startMillis) {
    this.vms = vms;
    this.sequence = new long[hosts];
    this.startMillis = startMillis;
  }

  static String hostId(int host) {
    return "bench-h" + host;
  }

  static String vmIdentity(int host, int vm) {
    return "bench-h" + host + "-vm" + vm;
  }

  /** The next periodic sample of {@code host}, taken {@code elapsedMillis} after the start. */
  HostSample periodic(int host, long elapsedMillis) {
    return sample(host, elapsedMillis, SampleKind.SAMPLE_KIND_PERIODIC, "", -1);
  }

  /** The next snapshot of {@code host} bracketing run {@code runId}, of VM {@code vm} only. */
  HostSample tagged(int host, int vm, long elapsedMillis, SampleKind kind, String runId) {
    return sample(host, elapsedMillis, kind, runId, vm);
  }

  private HostSample sample(int host, long elapsedMillis, SampleKind kind, String runId,
      int onlyVm) {
    long seq = ++sequence[host];
    HostSample.Builder sample = HostSample.newBuilder()
        .setHostId(hostId(host))
        .setTakenAt(Timestamps.fromMillis(startMillis + elapsedMillis))
        .setKind(kind)
        .setRunId(runId)
        .setSequence(seq)
        .setMonotonicNs(elapsedMillis * 1_000_000L)
        .setProbeStartedAt(Timestamps.fromMillis(startMillis));
    for (int vm = onlyVm < 0 ? 0 : onlyVm; vm < (onlyVm < 0 ? vms : onlyVm + 1); vm++) {
      VmCounters.Builder counters = VmCounters.newBuilder()
          .setVmIdentity(vmIdentity(host, vm))
          .setVmmPid(10_000 + vm)
          .setSource("qmp");
      // Scaled by VM so that hosts and VMs differ; integer maths keeps it cheap and monotonic.
      long base = 1_000_000L * (host % 97 + vm + 1);
      for (int s = 0; s < STATS.length; s++) {
        counters.putStats(STATS[s], base + PER_SECOND[s] * (vm % 4 + 1) * elapsedMillis / 1000);
      }
      sample.addVms(counters);
    }
    return sample.build();
  }
}

package dev.kvmmp.probe.microvm;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The factors of one ipi_halt run.
 *
 * @param haltPollNs the VM's halt-polling ceiling (KVM_CAP_HALT_POLL), 0 for none; empty leaves
 *     the module parameter {@code halt_poll_ns} in force
 * @param placement where the two vCPU threads run
 * @param roundTrips measured round trips
 * @param warmupRoundTrips round trips before the measurement, not recorded
 * @param deadline the whole run's limit, set-up to teardown
 * @param kvm the KVM device, normally {@code /dev/kvm}
 * @param hostCpus the host CPUs to pin to: one for same-cpu, two different ones for
 *     different-cpus; empty means the lowest this process may use
 */
public record IpiHaltSettings(OptionalLong haltPollNs, Placement placement, int roundTrips,
    int warmupRoundTrips, Duration deadline, Path kvm, List<Integer> hostCpus) {

  /** Where KVM normally is. */
  public static final Path DEFAULT_KVM = KvmDevice.DEFAULT_PATH;
  /** The most round trips of one run; ~30 min at this machine's 150 us. */
  public static final int MAX_ROUND_TRIPS = 10_000_000;
  /** A ceiling far above any sensible poll: KVM's own default is 200 us. */
  public static final long MAX_HALT_POLL_NS = 1_000_000_000L;

  public IpiHaltSettings {
    Objects.requireNonNull(haltPollNs, "haltPollNs");
    Objects.requireNonNull(placement, "placement");
    Objects.requireNonNull(deadline, "deadline");
    Objects.requireNonNull(kvm, "kvm");
    if (haltPollNs.isPresent()
        && (haltPollNs.getAsLong() < 0 || haltPollNs.getAsLong() > MAX_HALT_POLL_NS)) {
      throw new IllegalArgumentException("haltPollNs: " + haltPollNs.getAsLong()
          + ", expected 0-" + MAX_HALT_POLL_NS);
    }
    if (roundTrips < 1 || roundTrips > MAX_ROUND_TRIPS) {
      throw new IllegalArgumentException("roundTrips: " + roundTrips + ", expected 1-"
          + MAX_ROUND_TRIPS);
    }
    if (warmupRoundTrips < 0 || warmupRoundTrips > MAX_ROUND_TRIPS) {
      throw new IllegalArgumentException("warmupRoundTrips: " + warmupRoundTrips
          + ", expected 0-" + MAX_ROUND_TRIPS);
    }
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("deadline: " + deadline + ", expected > 0");
    }
    hostCpus = List.copyOf(hostCpus);
    int wanted = placement == Placement.SAME_CPU ? 1 : 2;
    if (!hostCpus.isEmpty() && (hostCpus.size() != wanted
        || hostCpus.stream().distinct().count() != wanted)) {
      throw new IllegalArgumentException("hostCpus: " + hostCpus + ", expected " + wanted
          + " different CPU(s) for placement " + placement.label() + ", or none");
    }
  }

  /** With the lowest host CPUs this process may use. */
  public IpiHaltSettings(OptionalLong haltPollNs, Placement placement, int roundTrips,
      int warmupRoundTrips, Duration deadline, Path kvm) {
    this(haltPollNs, placement, roundTrips, warmupRoundTrips, deadline, kvm, List.of());
  }

  /** A run on {@code /dev/kvm} with the VM's halt polling set to {@code haltPollNs}. */
  public static IpiHaltSettings of(long haltPollNs, Placement placement, int roundTrips,
      int warmupRoundTrips, Duration deadline) {
    return new IpiHaltSettings(OptionalLong.of(haltPollNs), placement, roundTrips,
        warmupRoundTrips, deadline, KvmDevice.DEFAULT_PATH);
  }
}

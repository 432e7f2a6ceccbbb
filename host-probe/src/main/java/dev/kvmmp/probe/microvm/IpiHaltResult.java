package dev.kvmmp.probe.microvm;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import org.HdrHistogram.Histogram;

/**
 * What one ipi_halt run measured.
 *
 * @param settings the run's factors
 * @param cpus host CPUs of vCPU A and vCPU B
 * @param roundTripNs every measured round trip, guest TSC converted to ns
 * @param tscKhz the guest TSC frequency used for the conversion (KVM_GET_TSC_KHZ)
 * @param batches host clock per batch
 * @param vcpuStats per vCPU (index = vCPU id), the change of each binary stat over the measured
 *     round trips; empty when the kernel has no binary stats fd
 * @param events change of the kvm tracepoint counts over the measured round trips, summed over
 *     both vCPU threads (e.g. {@code kvm_msr:ICR}, {@code kvm:kvm_apic_ipi}); missing ones are
 *     named in {@code notes}
 * @param notes what the run could not do or measure here, and why
 */
public record IpiHaltResult(IpiHaltSettings settings, List<Integer> cpus, Histogram roundTripNs,
    long tscKhz, List<IpiHaltBatch> batches, List<Map<String, Long>> vcpuStats,
    Map<String, Long> events, List<String> notes) {

  public IpiHaltResult {
    Objects.requireNonNull(roundTripNs, "roundTripNs");
    cpus = List.copyOf(cpus);
    batches = List.copyOf(batches);
    vcpuStats = List.copyOf(vcpuStats);
    events = Map.copyOf(events);
    notes = List.copyOf(notes);
  }

  /** Measured round trips: the histogram's count. */
  public long roundTrips() {
    return roundTripNs.getTotalCount();
  }

  /** A stat's change on one vCPU per round trip; empty when the stat was not read. */
  public OptionalDouble perRoundTrip(int vcpu, String stat) {
    if (vcpu >= vcpuStats.size() || !vcpuStats.get(vcpu).containsKey(stat)) {
      return OptionalDouble.empty();
    }
    return OptionalDouble.of((double) vcpuStats.get(vcpu).get(stat) / roundTrips());
  }

  /** A stat's change summed over both vCPUs, per round trip. */
  public OptionalDouble perRoundTrip(String stat) {
    OptionalDouble a = perRoundTrip(0, stat);
    OptionalDouble b = perRoundTrip(1, stat);
    return a.isPresent() && b.isPresent() ? OptionalDouble.of(a.getAsDouble() + b.getAsDouble())
        : OptionalDouble.empty();
  }

  /** A tracepoint count per round trip; empty when it could not be counted. */
  public OptionalDouble eventPerRoundTrip(String event) {
    Long count = events.get(event);
    return count == null ? OptionalDouble.empty() : OptionalDouble.of((double) count / roundTrips());
  }

  /** The host's clock over the measured batches, per round trip, in ns. */
  public double hostNsPerRoundTrip() {
    return (double) windowNs() / roundTrips();
  }

  /** The measured batches' total on the host clock, in ns. */
  public long windowNs() {
    return batches.stream().mapToLong(IpiHaltBatch::hostNs).sum();
  }

  /**
   * The histogram in the encoding RunResult.histogram uses (compressed, as the guest-workers
   * ship theirs).
   */
  public byte[] histogramBytes() {
    ByteBuffer buffer = ByteBuffer.allocate(roundTripNs.getNeededByteBufferCapacity());
    int length = roundTripNs.encodeIntoCompressedByteBuffer(buffer);
    byte[] bytes = new byte[length];
    buffer.flip();
    buffer.get(bytes);
    return bytes;
  }
}

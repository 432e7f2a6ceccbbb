package dev.kvmmp.probe.sampling;

import com.google.protobuf.util.Timestamps;
import dev.kvmmp.probe.discovery.DiscoveredVm;
import dev.kvmmp.probe.discovery.VmDiscovery;
import dev.kvmmp.proto.v1.HostSample;
import dev.kvmmp.proto.v1.SampleKind;
import dev.kvmmp.proto.v1.VmCounters;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes samples of every QEMU VM on the host: discovers VMs as they come and go, follows each
 * with its own QMP connection and event counters, and numbers the samples so that a consumer sees
 * a gap. A VM that fails is reported with what is missing and warned about once; nothing
 * escapes a sample.
 *
 * <p>Where the VMs come from ({@link VmDiscovery}) and how one is followed ({@link VmFollower})
 * are seams: {@code kvmmp bench probe} samples simulated VMs through the same code.
 */
public final class HostSampler implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(HostSampler.class);
  private static final Duration QMP_TIMEOUT = Duration.ofSeconds(2);

  private final VmDiscovery discovery;
  private final VmFollower follower;
  private final String hostId;
  private final Clock clock;
  private final com.google.protobuf.Timestamp startedAt;
  private final Map<Long, Followed> tracked = new LinkedHashMap<>();
  private final Set<Long> warned = new HashSet<>();
  private long sequence;

  /** A VM being followed, as it was discovered. */
  private record Followed(DiscoveredVm vm, FollowedVm source) {}

  /**
   * Follows each VM with {@link #qmpFollower}.
   *
   * @param discovery normally {@code new QemuProcesses(Path.of("/proc"))}
   * @param isa "vmx" or "svm", for naming exit reasons
   */
  public HostSampler(VmDiscovery discovery, String hostId, String isa, Clock clock) {
    this(discovery, qmpFollower(isa), hostId, clock);
  }

  /** Follows each VM that {@code discovery} finds with what {@code follower} opens. */
  public HostSampler(VmDiscovery discovery, VmFollower follower, String hostId, Clock clock) {
    this.discovery = Objects.requireNonNull(discovery, "discovery");
    this.follower = Objects.requireNonNull(follower, "follower");
    this.hostId = Objects.requireNonNull(hostId, "hostId");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.startedAt = Timestamps.fromMillis(clock.millis());
  }

  /**
   * A QEMU VM followed over one QMP connection ({@code query-stats}) with kvm event counters on
   * its vCPU threads, on a host of {@code isa} ("vmx" or "svm").
   */
  public static VmFollower qmpFollower(String isa) {
    return vm -> TrackedVm.open(vm, isa, QMP_TIMEOUT);
  }

  /** A snapshot of every VM's cumulative counters, tagged with a run when bracketing one. */
  public synchronized HostSample sample(SampleKind kind, String runId) {
    refresh();
    HostSample.Builder sample = HostSample.newBuilder()
        .setHostId(hostId)
        .setKind(kind)
        .setRunId(runId)
        .setProbeStartedAt(startedAt);
    List<Followed> vms = new ArrayList<>(tracked.values());
    // Every VM asked first, then every reply read: the VMs work at once, not one after another.
    for (Iterator<Followed> it = vms.iterator(); it.hasNext(); ) {
      Followed vm = it.next();
      try {
        vm.source().request();
      } catch (IOException | RuntimeException e) {
        sample.addVms(dropped(vm, e));
        it.remove();
      }
    }
    for (Followed vm : vms) {
      try {
        sample.addVms(vm.source().read());
      } catch (IOException | RuntimeException e) {
        sample.addVms(dropped(vm, e));
      }
    }
    return sample
        .setSequence(++sequence)
        .setMonotonicNs(System.nanoTime())
        .setTakenAt(Timestamps.fromMillis(clock.millis()))
        .build();
  }

  /** Stops following a VM that failed; what the sample says of it. */
  private VmCounters dropped(Followed vm, Exception e) {
    warnOnce(vm.vm().pid(), "QEMU pid {} stopped answering ({}); following it again when "
        + "it is rediscovered", e.getMessage());
    tracked.remove(vm.vm().pid()).source().close();
    return VmCounters.newBuilder()
        .setVmIdentity(vm.vm().uuid().orElse(""))
        .setVmmPid(Math.toIntExact(vm.vm().pid()))
        .addMissing("qmp: " + e.getMessage())
        .build();
  }

  /** Starts following new VMs and stops following those that are gone. */
  private void refresh() {
    Map<Long, DiscoveredVm> present = discovery.discover().stream()
        .filter(vm -> vm.qmpSocket().isPresent())
        .collect(Collectors.toMap(DiscoveredVm::pid, vm -> vm));
    for (Long gone : Set.copyOf(tracked.keySet())) {
      if (!present.containsKey(gone)) {
        tracked.remove(gone).source().close();
        warned.remove(gone);
      }
    }
    for (DiscoveredVm vm : present.values()) {
      if (!tracked.containsKey(vm.pid())) {
        try {
          tracked.put(vm.pid(), new Followed(vm, follower.follow(vm)));
          warned.remove(vm.pid());
        } catch (IOException | RuntimeException e) {
          warnOnce(vm.pid(), "QEMU pid {}: cannot follow it ({}); retrying every sample",
              e.getMessage());
        }
      }
    }
  }

  private void warnOnce(long pid, String message, String reason) {
    if (warned.add(pid)) {
      log.warn(message, pid, reason);
    }
  }

  @Override
  public synchronized void close() {
    tracked.values().forEach(vm -> vm.source().close());
    tracked.clear();
  }
}

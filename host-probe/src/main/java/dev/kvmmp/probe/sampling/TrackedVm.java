package dev.kvmmp.probe.sampling;

import dev.kvmmp.perf.PerfException;
import dev.kvmmp.probe.discovery.DiscoveredVm;
import dev.kvmmp.probe.discovery.QemuProcesses;
import dev.kvmmp.probe.events.KvmEventCounters;
import dev.kvmmp.probe.qmp.QmpClient;
import dev.kvmmp.probe.qmp.QmpStatsSource;
import dev.kvmmp.proto.v1.VmCounters;
import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * One VM the probe follows: one QMP connection (QEMU serves one QMP client at a time, so the
 * vCPU threads and the stats come over the same one), and the in-kernel event counters of its
 * vCPU threads.
 */
final class TrackedVm implements FollowedVm {

  private final DiscoveredVm vm;
  private final QmpClient qmp;
  private final QmpStatsSource stats = new QmpStatsSource();
  private final KvmEventCounters events;
  /** Asked for by {@link #request} and not yet read. */
  private QmpStatsSource.Reading pending;

  private TrackedVm(DiscoveredVm vm, QmpClient qmp, KvmEventCounters events) {
    this.vm = vm;
    this.qmp = qmp;
    this.events = events;
  }

  /** Connects to the VM's QMP socket and opens counters on its vCPU threads. */
  static TrackedVm open(DiscoveredVm vm, String isa, Duration qmpTimeout) throws IOException {
    QmpClient qmp = QmpClient.connect(vm.qmpSocket().orElseThrow(), qmpTimeout);
    try {
      List<Integer> vcpuThreads = QemuProcesses.vcpuThreadIds(qmp.execute("query-cpus-fast"));
      return new TrackedVm(vm, qmp, KvmEventCounters.open(vcpuThreads, isa));
    } catch (IOException | RuntimeException e) {
      qmp.close();
      throw e;
    }
  }

  /**
   * The VM's cumulative counters now: KVM's stats over QMP, plus the in-kernel event counts;
   * what could not be had is listed in {@code missing}.
   *
   * @throws IOException when QMP fails: the VM is gone or its QEMU stopped answering
   */
  @Override
  public void request() throws IOException {
    pending = stats.request(qmp);
  }

  @Override
  public VmCounters read() throws IOException {
    QmpStatsSource.Reading reading = pending != null ? pending : stats.request(qmp);
    pending = null;
    VmCounters.Builder counters = stats.collect(reading, VmCounters.newBuilder())
        .setVmmPid(Math.toIntExact(vm.pid()));
    try {
      events.fill(counters);
    } catch (PerfException e) {
      counters.addMissing("kvm events: " + e.getMessage());
    }
    for (KvmEventCounters.Missing missing : events.missing()) {
      counters.addMissing(missing.counter() + ": " + missing.reason());
    }
    return counters.build();
  }

  @Override
  public void close() {
    events.close();
    try {
      qmp.close();
    } catch (IOException e) {
      // The VM is going away; nothing left to tell it.
    }
  }
}

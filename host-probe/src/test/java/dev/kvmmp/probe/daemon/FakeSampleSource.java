package dev.kvmmp.probe.daemon;

import com.google.protobuf.util.Timestamps;
import dev.kvmmp.proto.v1.HostSample;
import dev.kvmmp.proto.v1.SampleKind;
import dev.kvmmp.proto.v1.VmCounters;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Samples of made-up VMs, numbered as {@code HostSampler} numbers them; each VM's exits grow by
 * ten a sample. A test can make it fail, or hold a sample of one kind until it lets go.
 */
final class FakeSampleSource implements SampleSource {

  private final String hostId;
  final List<VmCounters> vms = new CopyOnWriteArrayList<>();
  volatile RuntimeException failure;
  volatile SampleKind holdKind;
  final CountDownLatch release = new CountDownLatch(1);
  final CountDownLatch holding = new CountDownLatch(1);
  private long sequence;

  FakeSampleSource(String hostId) {
    this.hostId = hostId;
  }

  void addVm(String identity, int pid) {
    vms.add(VmCounters.newBuilder().setVmIdentity(identity).setVmmPid(pid).setSource("qmp")
        .build());
  }

  @Override
  public synchronized HostSample sample(SampleKind kind, String runId) {
    if (kind == holdKind) {
      holding.countDown();
      try {
        if (!release.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the test never let the sample go");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    RuntimeException failing = failure;
    if (failing != null) {
      throw failing;
    }
    long n = ++sequence;
    HostSample.Builder sample = HostSample.newBuilder().setHostId(hostId).setKind(kind)
        .setRunId(runId).setSequence(n).setMonotonicNs(System.nanoTime())
        .setTakenAt(Timestamps.fromMillis(System.currentTimeMillis()));
    for (VmCounters vm : vms) {
      sample.addVms(vm.toBuilder().putStats("exits", 10 * n));
    }
    return sample.build();
  }
}

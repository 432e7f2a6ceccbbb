package dev.kvmmp.probe.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kvmmp.probe.discovery.DiscoveredVm;
import dev.kvmmp.proto.v1.HostSample;
import dev.kvmmp.proto.v1.SampleKind;
import dev.kvmmp.proto.v1.VmCounters;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The sampler's bookkeeping over fake VMs: who is followed, when, and what a failure gives. */
class HostSamplerTest {

  private final List<DiscoveredVm> present = new ArrayList<>();
  private final Map<Long, FakeVm> opened = new HashMap<>();
  private final List<Long> follows = new ArrayList<>();
  private final List<String> calls = new ArrayList<>();

  private final class FakeVm implements FollowedVm {
    final long pid;
    boolean failing;
    boolean requestFails;
    boolean closed;
    long exits;

    FakeVm(long pid) {
      this.pid = pid;
    }

    @Override
    public void request() throws IOException {
      calls.add("request " + pid);
      if (requestFails) {
        throw new IOException("QMP socket closed while sending");
      }
    }

    @Override
    public VmCounters read() throws IOException {
      calls.add("read " + pid);
      if (failing) {
        throw new IOException("QEMU closed the QMP connection");
      }
      return VmCounters.newBuilder().setVmmPid((int) pid).putStats("exits", ++exits).build();
    }

    @Override
    public void close() {
      closed = true;
    }
  }

  private HostSampler sampler() {
    return new HostSampler(() -> List.copyOf(present), vm -> {
      follows.add(vm.pid());
      FakeVm fake = new FakeVm(vm.pid());
      opened.put(vm.pid(), fake);
      return fake;
    }, "host-1", Clock.systemUTC());
  }

  private static DiscoveredVm vm(long pid) {
    return new DiscoveredVm(pid, Optional.of("uuid-" + pid), Optional.of("vm-" + pid),
        Optional.of(Path.of("/run/vm-" + pid + ".sock")));
  }

  private HostSample sample(HostSampler sampler) {
    return sampler.sample(SampleKind.SAMPLE_KIND_PERIODIC, "");
  }

  @Test
  void followsEachVmOnceAndNumbersTheSamples() {
    present.addAll(List.of(vm(10), vm(20)));
    try (HostSampler sampler = sampler()) {
      HostSample first = sample(sampler);
      HostSample second = sampler.sample(SampleKind.SAMPLE_KIND_WINDOW_END, "run-7");

      assertThat(follows).containsExactlyInAnyOrder(10L, 20L);
      assertThat(second.getSequence()).isEqualTo(first.getSequence() + 1);
      assertThat(second.getRunId()).isEqualTo("run-7");
      assertThat(second.getVmsList()).extracting(VmCounters::getVmmPid)
          .containsExactlyInAnyOrder(10, 20);
      assertThat(second.getVms(0).getStatsOrThrow("exits")).isEqualTo(2);
    }
  }

  @Test
  void asksEveryVmBeforeReadingAny() {
    present.addAll(List.of(vm(10), vm(20), vm(30)));
    try (HostSampler sampler = sampler()) {
      sample(sampler);
      calls.clear();
      opened.get(20L).requestFails = true;

      HostSample sample = sample(sampler);

      assertThat(calls).containsExactlyInAnyOrder("request 10", "request 20", "request 30",
          "read 10", "read 30");
      assertThat(calls.subList(0, 3)).allMatch(c -> c.startsWith("request"));
      assertThat(sample.getVmsList()).filteredOn(v -> v.getVmmPid() == 20).singleElement()
          .satisfies(v -> assertThat(v.getMissingList()).singleElement().asString()
              .contains("closed while sending"));
      assertThat(opened.get(20L).closed).isTrue();
    }
  }

  @Test
  void leavesOutVmsWithoutAQmpSocket() {
    present.add(new DiscoveredVm(30, Optional.empty(), Optional.empty(), Optional.empty()));
    try (HostSampler sampler = sampler()) {
      assertThat(sample(sampler).getVmsList()).isEmpty();
      assertThat(follows).isEmpty();
    }
  }

  @Test
  void reportsAFailingVmMissingThenFollowsItAgain() {
    present.add(vm(10));
    try (HostSampler sampler = sampler()) {
      sample(sampler);
      FakeVm first = opened.get(10L);
      first.failing = true;

      HostSample failed = sample(sampler);
      HostSample again = sample(sampler);

      assertThat(failed.getVms(0).getVmIdentity()).isEqualTo("uuid-10");
      assertThat(failed.getVms(0).getMissingList()).singleElement().asString()
          .startsWith("qmp: ").contains("closed the QMP connection");
      assertThat(first.closed).isTrue();
      assertThat(follows).containsExactly(10L, 10L);
      assertThat(again.getVms(0).getMissingList()).isEmpty();
    }
  }

  @Test
  void closesVmsThatAreGoneAndEveryVmOnClose() {
    present.addAll(List.of(vm(10), vm(20)));
    HostSampler sampler = sampler();
    sample(sampler);
    present.remove(0);

    HostSample after = sample(sampler);

    assertThat(opened.get(10L).closed).isTrue();
    assertThat(after.getVmsList()).extracting(VmCounters::getVmmPid).containsExactly(20);
    sampler.close();
    assertThat(opened.get(20L).closed).isTrue();
  }

  @Test
  void aVmThatCannotBeFollowedIsRetriedAtTheNextSample() {
    present.add(vm(10));
    int[] attempts = {0};
    try (HostSampler sampler = new HostSampler(() -> List.copyOf(present), vm -> {
      if (++attempts[0] == 1) {
        throw new IOException("QMP socket refused");
      }
      return new FakeVm(vm.pid());
    }, "host-1", Clock.systemUTC())) {
      assertThat(sample(sampler).getVmsList()).isEmpty();
      assertThat(sample(sampler).getVmsList()).hasSize(1);
    }
  }
}

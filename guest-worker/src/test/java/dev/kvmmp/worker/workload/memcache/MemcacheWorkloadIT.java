package dev.kvmmp.worker.workload.memcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.util.Durations;
import dev.kvmmp.proto.v1.Memcache;
import dev.kvmmp.proto.v1.Placement;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.Workload;
import dev.kvmmp.worker.facts.CpuList;
import dev.kvmmp.worker.placement.PlacementPlan;
import dev.kvmmp.worker.workload.Outcome;
import dev.kvmmp.worker.workload.RunContext;
import dev.kvmmp.worker.workload.RunControl;
import dev.kvmmp.worker.workload.Window;
import dev.kvmmp.worker.workload.WindowObserver;
import dev.kvmmp.worker.workload.WorkloadException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A real memcached on loopback, short runs: no timing is asserted beyond sanity. */
@Timeout(60)
class MemcacheWorkloadIT {

  private final List<Integer> involved = Collections.synchronizedList(new ArrayList<>());

  @ParameterizedTest
  @EnumSource(value = Placement.class, names = {
      "PLACEMENT_UNPINNED", "PLACEMENT_SAME_CPU", "PLACEMENT_CROSS_CPU"})
  void measuresGetsAndSetsWhereThePlacementSaysAndStopsMemcached(Placement placement)
      throws Exception {
    Path memcached = InstalledMemcached.require();
    CpuList online = CpuList.online();
    Assumptions.assumeTrue(placement != Placement.PLACEMENT_CROSS_CPU || online.count() >= 2,
        "cross-cpu needs 2 vCPUs");
    Run run = run(placement, Memcache.getDefaultInstance());

    Outcome outcome = new MemcacheWorkload(memcached).run(context(run, new RunControl()));

    assertThat(outcome.measurement().histogram().getTotalCount())
        .isEqualTo(outcome.measurement().transactions())
        .isPositive();
    assertThat(outcome.measurement().histogram().getValueAtPercentile(50))
        .isBetween(1_000L, 10_000_000L);
    assertThat(outcome.placement().getPlacement()).isEqualTo(placement);
    assertThat(outcome.placement().getVerified()).as(outcome.placement().getDetail()).isTrue();
    if (placement == Placement.PLACEMENT_CROSS_CPU) {
      assertThat(outcome.placement().getClientCpu()).isEqualTo(0);
      assertThat(outcome.placement().getServerCpu()).isEqualTo(1);
    }
    assertMemcachedWasInvolvedAndIsGone();
  }

  @Test
  void stopsMemcachedWhenTheRunFails() {
    Path memcached = InstalledMemcached.require();
    RunControl control = new RunControl();
    control.cancel();
    Run run = run(Placement.PLACEMENT_UNPINNED, Memcache.getDefaultInstance());

    assertThatThrownBy(() -> new MemcacheWorkload(memcached).run(context(run, control)))
        .isInstanceOf(WorkloadException.class)
        .hasMessage("cancelled");
    assertMemcachedWasInvolvedAndIsGone();
  }

  @Test
  void saysHowToInstallMemcachedWhenItIsMissing() {
    Run run = run(Placement.PLACEMENT_UNPINNED, Memcache.getDefaultInstance());

    assertThatThrownBy(() -> new MemcacheWorkload(Path.of("/nonexistent/memcached"))
        .run(context(run, new RunControl())))
        .isInstanceOf(WorkloadException.class)
        .hasMessage("memcache workload needs the memcached binary (apt-get install memcached)");
  }

  @Test
  void rejectsKeysThatKeyBytesCannotTellApart() {
    Path memcached = InstalledMemcached.require();
    Run run = run(Placement.PLACEMENT_UNPINNED,
        Memcache.newBuilder().setKeys(1_000_000).setKeyBytes(6).build());

    assertThatThrownBy(() -> new MemcacheWorkload(memcached).run(context(run, new RunControl())))
        .isInstanceOf(WorkloadException.class)
        .hasMessageContaining("key_bytes 6")
        .hasMessageContaining("keys 1000000")
        .hasMessageContaining("key_bytes >= 7");
    assertThat(involved).isEmpty();
  }

  /** The memcached pid and its threads were involved; none of them runs any more. */
  private void assertMemcachedWasInvolvedAndIsGone() {
    // Involved ids that are not threads of this JVM are memcached's.
    List<Integer> memcachedTasks = involved.stream()
        .filter(id -> !Files.exists(Path.of("/proc/self/task/" + id)))
        .toList();
    assertThat(memcachedTasks).isNotEmpty();
    for (int id : memcachedTasks) {
      assertThat(ProcessHandle.of(id).map(ProcessHandle::isAlive).orElse(false))
          .as("memcached task %d still alive", id)
          .isFalse();
    }
  }

  private RunContext context(Run run, RunControl control) throws WorkloadException {
    return new RunContext(run, Window.of(run),
        PlacementPlan.of(run.getWorkload(), CpuList.online()), control, WindowObserver.NONE,
        involved::add);
  }

  private static Run run(Placement placement, Memcache memcache) {
    Workload workload = Workload.newBuilder().setMemcache(memcache).setPlacement(placement)
        .build();
    return Run.newBuilder().setId("e-1-r0000").setWorkload(workload)
        .setWarmup(Durations.fromMillis(100)).setDuration(Durations.fromMillis(300)).build();
  }
}

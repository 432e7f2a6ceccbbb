package dev.kvmmp.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Durations;
import dev.kvmmp.proto.v1.Condvar;
import dev.kvmmp.proto.v1.CondvarPrimitive;
import dev.kvmmp.proto.v1.ExperimentSpec;
import dev.kvmmp.proto.v1.Fleet;
import dev.kvmmp.proto.v1.IpiHalt;
import dev.kvmmp.proto.v1.Memcache;
import dev.kvmmp.proto.v1.Order;
import dev.kvmmp.proto.v1.Placement;
import dev.kvmmp.proto.v1.TcpRr;
import dev.kvmmp.proto.v1.TcpRrMode;
import dev.kvmmp.proto.v1.Wakeup;
import dev.kvmmp.proto.v1.Workload;
import org.junit.jupiter.api.Test;

class ExperimentSpecDefaultsTest {

  @Test
  void fillsEveryUnsetFieldWithItsDocumentedDefault() {
    ExperimentSpec spec = ExperimentSpec.newBuilder()
        .setName("all defaults")
        .addWorkloads(Workload.newBuilder().setTcpRr(TcpRr.getDefaultInstance()))
        .addWorkloads(Workload.newBuilder().setMemcache(Memcache.getDefaultInstance()))
        .addWorkloads(Workload.newBuilder().setCondvar(Condvar.getDefaultInstance()))
        .addWorkloads(Workload.newBuilder().setWakeup(Wakeup.getDefaultInstance()))
        .addWorkloads(Workload.newBuilder().setIpiHalt(IpiHalt.getDefaultInstance()))
        .setDuration(Durations.fromSeconds(5))
        .build();

    ExperimentSpec expected = ExperimentSpec.newBuilder()
        .setName("all defaults")
        .addWorkloads(Workload.newBuilder().setName("tcp_rr").setPlacement(Placement.PLACEMENT_UNPINNED)
            .setTcpRr(TcpRr.newBuilder().setRequestBytes(1).setResponseBytes(1)
                .setMode(TcpRrMode.TCP_RR_MODE_THREADS)))
        .addWorkloads(Workload.newBuilder().setName("memcache").setPlacement(Placement.PLACEMENT_UNPINNED)
            .setMemcache(Memcache.newBuilder().setKeys(1000).setKeyBytes(16).setValueBytes(32)
                .setGetPercent(90)))
        .addWorkloads(Workload.newBuilder().setName("condvar").setPlacement(Placement.PLACEMENT_UNPINNED)
            .setCondvar(Condvar.newBuilder().setPrimitive(CondvarPrimitive.CONDVAR_PRIMITIVE_PARK)))
        .addWorkloads(Workload.newBuilder().setName("wakeup").setPlacement(Placement.PLACEMENT_UNPINNED)
            .setWakeup(Wakeup.newBuilder().setMinDelay(Durations.fromMicros(50))
                .setMaxDelay(Durations.fromMicros(500))))
        .addWorkloads(Workload.newBuilder().setName("ipi_halt")
            .setPlacement(Placement.PLACEMENT_CROSS_CPU)
            .setIpiHalt(IpiHalt.newBuilder().setRoundTrips(10_000).setWarmupRoundTrips(1_000)))
        .addFleets(Fleet.newBuilder().setName("default"))
        .setRepetitions(1)
        .setOrder(Order.ORDER_INTERLEAVED)
        .setExclusivity(dev.kvmmp.proto.v1.Exclusivity.EXCLUSIVITY_HOST)
        .setMaxAttempts(3)
        .setDuration(Durations.fromSeconds(5))
        .setWarmup(Durations.fromSeconds(1))
        .build();
    assertThat(ExperimentSpecDefaults.apply(spec)).isEqualTo(expected);
  }

  @Test
  void keepsWhatTheUserSet() {
    ExperimentSpec spec = ExperimentSpec.newBuilder()
        .setName("explicit")
        .addWorkloads(Workload.newBuilder().setName("big").setPlacement(Placement.PLACEMENT_CROSS_CPU)
            .setTcpRr(TcpRr.newBuilder().setRequestBytes(4096).setResponseBytes(0)
                .setMode(TcpRrMode.TCP_RR_MODE_PROCESSES)))
        .addWorkloads(Workload.newBuilder().setMemcache(Memcache.newBuilder().setGetPercent(0)))
        .addFleets(Fleet.newBuilder().setName("poll-off").putSelector("vcpus", "2"))
        .setRepetitions(3)
        .setOrder(Order.ORDER_SEQUENTIAL)
        .setDuration(Durations.fromSeconds(5))
        .setWarmup(Durations.ZERO)
        .build();

    ExperimentSpec applied = ExperimentSpecDefaults.apply(spec);

    assertThat(applied.getWorkloads(0)).isEqualTo(spec.getWorkloads(0));
    // Explicit zero survives: presence, not the value, decides.
    assertThat(applied.getWorkloads(1).getMemcache().getGetPercent()).isZero();
    assertThat(applied.getWorkloads(1).getMemcache().getKeys()).isEqualTo(1000);
    assertThat(applied.getFleetsList()).isEqualTo(spec.getFleetsList());
    assertThat(applied.getRepetitions()).isEqualTo(3);
    assertThat(applied.getOrder()).isEqualTo(Order.ORDER_SEQUENTIAL);
    assertThat(applied.getWarmup()).isEqualTo(Durations.ZERO);
  }

  @Test
  void leavesAWorkloadWithoutKindUnnamed() {
    ExperimentSpec spec = ExperimentSpec.newBuilder().addWorkloads(Workload.getDefaultInstance()).build();
    assertThat(ExperimentSpecDefaults.apply(spec).getWorkloads(0).getName()).isEmpty();
  }
}

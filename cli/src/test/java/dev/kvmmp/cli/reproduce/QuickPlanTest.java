package dev.kvmmp.cli.reproduce;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.Durations;
import dev.kvmmp.proto.v1.ExperimentSpec;
import dev.kvmmp.proto.v1.IpiHalt;
import dev.kvmmp.proto.v1.TcpRr;
import dev.kvmmp.proto.v1.Workload;
import org.junit.jupiter.api.Test;

class QuickPlanTest {

  @Test
  void fewerShorterRunsOfTheSameWorkloadsAndFleets() {
    ExperimentSpec spec = SyntheticRuns.hostPollingSpec().toBuilder()
        .addWorkloads(Workload.newBuilder().setTcpRr(TcpRr.getDefaultInstance()))
        .addWorkloads(Workload.newBuilder().setIpiHalt(IpiHalt.newBuilder().setRoundTrips(5000)))
        .setRepetitions(10).setWarmup(Durations.fromMillis(500))
        .setDuration(Durations.fromSeconds(2)).build();

    ExperimentSpec quick = QuickPlan.apply(spec);

    assertThat(quick.getRepetitions()).isEqualTo(5);
    assertThat(Durations.toMillis(quick.getWarmup())).isEqualTo(300);
    assertThat(Durations.toMillis(quick.getDuration())).isEqualTo(700);
    assertThat(quick.getWorkloads(1).getIpiHalt().getRoundTrips()).isEqualTo(2000);
    assertThat(quick.getWorkloads(1).getIpiHalt().getWarmupRoundTrips()).isEqualTo(200);
    assertThat(quick.getFleetsList()).isEqualTo(spec.getFleetsList());
    assertThat(quick.getWorkloads(0)).isEqualTo(spec.getWorkloads(0));
  }

  @Test
  void aSpecAlreadyShorterStaysAsShort() {
    ExperimentSpec spec = ExperimentSpec.newBuilder().setDuration(Durations.fromMillis(200))
        .addWorkloads(Workload.newBuilder().setIpiHalt(IpiHalt.newBuilder().setRoundTrips(100)
            .setWarmupRoundTrips(10))).build();

    ExperimentSpec quick = QuickPlan.apply(spec);

    assertThat(Durations.toMillis(quick.getDuration())).isEqualTo(200);
    assertThat(quick.getWorkloads(0).getIpiHalt().getRoundTrips()).isEqualTo(100);
    assertThat(quick.getWorkloads(0).getIpiHalt().getWarmupRoundTrips()).isEqualTo(10);
  }
}

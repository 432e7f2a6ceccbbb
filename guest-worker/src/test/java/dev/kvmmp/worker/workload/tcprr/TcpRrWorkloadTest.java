package dev.kvmmp.worker.workload.tcprr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.util.Durations;
import com.google.protobuf.util.Timestamps;
import dev.kvmmp.proto.v1.Placement;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunResult;
import dev.kvmmp.proto.v1.TcpRr;
import dev.kvmmp.proto.v1.Workload;
import dev.kvmmp.worker.workload.RunControl;
import dev.kvmmp.worker.workload.WorkloadException;
import java.nio.ByteBuffer;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** Runs real loopback TCP round trips: quick, and no timing is asserted beyond sanity. */
class TcpRrWorkloadTest {

  private static Run run(TcpRr tcpRr, Placement placement) {
    return Run.newBuilder()
        .setId("e-1-r0000")
        .setWorkload(Workload.newBuilder().setTcpRr(tcpRr).setPlacement(placement))
        .setWarmup(Durations.fromMillis(100))
        .setDuration(Durations.fromMillis(300))
        .build();
  }

  @Test
  void measuresLoopbackRoundTripsIntoAHistogramThatMatchesTheCount() throws Exception {
    RunResult result = new TcpRrWorkload().run(run(TcpRr.newBuilder()
        .setRequestBytes(64).setResponseBytes(4096).build(), Placement.PLACEMENT_UNPINNED),
        new RunControl());

    Histogram histogram = Histogram.decodeFromCompressedByteBuffer(
        ByteBuffer.wrap(result.getHistogram().toByteArray()), 0);
    assertThat(result.getTransactions()).isPositive();
    assertThat(histogram.getTotalCount()).isEqualTo(result.getTransactions());
    assertThat(result.getWarmupTransactions()).isPositive();
    assertThat(histogram.getValueAtPercentile(50)).isBetween(1_000L, 10_000_000L);
    assertThat(result.getWindowNs()).isGreaterThanOrEqualTo(300_000_000L);
    assertThat(Timestamps.between(result.getWindowStart(), result.getWindowEnd()))
        .isEqualTo(Durations.fromNanos(result.getWindowNs()));
  }

  @Test
  void refusesAPlacementItCannotApplyYet() {
    assertThatThrownBy(() -> new TcpRrWorkload().run(run(TcpRr.getDefaultInstance(),
        Placement.PLACEMENT_CROSS_CPU), new RunControl()))
        .isInstanceOf(WorkloadException.class)
        .hasMessage("placement PLACEMENT_CROSS_CPU is not supported by this worker yet (thread "
            + "pinning is not implemented); use placement 'unpinned'");
  }
}

package dev.kvmmp.aggregator.report;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import dev.kvmmp.proto.v1.Condvar;
import dev.kvmmp.proto.v1.GuestDeltas;
import dev.kvmmp.proto.v1.HostSample;
import dev.kvmmp.proto.v1.IdleStateDelta;
import dev.kvmmp.proto.v1.Run;
import dev.kvmmp.proto.v1.RunResult;
import dev.kvmmp.proto.v1.RunState;
import dev.kvmmp.proto.v1.SampleKind;
import dev.kvmmp.proto.v1.VmCounters;
import dev.kvmmp.proto.v1.Workload;
import java.nio.ByteBuffer;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** Made-up runs and snapshots for the report's rules; real ones are in CapturedRunReportTest. */
final class ReportInputs {

  static final String RUN = "e-1-r0000";
  static final String VM = "vm-a";
  static final String HOST = "host-1";
  static final long TX = 1000;
  static final long WINDOW_NS = 1_000_000_000L;
  private static final Timestamp PROBE_START = Timestamp.newBuilder().setSeconds(100).build();

  private ReportInputs() {}

  /** A succeeded run of {@link #TX} transactions of 10-20 us over {@link #WINDOW_NS}. */
  static Run.Builder run() {
    Histogram histogram = new Histogram(3);
    for (int i = 0; i < TX; i++) {
      histogram.recordValue(10_000 + i * 10);
    }
    ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
    int length = histogram.encodeIntoCompressedByteBuffer(buffer);
    return Run.newBuilder().setId(RUN).setExperimentId("e-1").setFleet("a")
        .setWorkload(Workload.newBuilder().setCondvar(Condvar.getDefaultInstance()))
        .setState(RunState.RUN_STATE_SUCCEEDED).setAttempt(1).setBracketed(true)
        .setHostId(HOST).setVmIdentity(VM)
        .setResult(RunResult.newBuilder()
            .setHistogram(ByteString.copyFrom(buffer.array(), 0, length))
            .setTransactions(TX).setWindowNs(WINDOW_NS)
            .setGuestDeltas(GuestDeltas.newBuilder()
                .setLocalTimerInterrupts(500).setRescheduleIpis(1000).setCallFunctionIpis(20)
                .putEvents(GuestFigures.MSR_TSC_DEADLINE, 2000)
                .putEvents(GuestFigures.MSR_TMICT, 100)
                .putEvents(GuestFigures.MSR_ICR, 2000)
                .putEvents(GuestFigures.IDLE_POLL, 300)
                .putEvents(GuestFigures.IDLE_PREFIX + "haltpoll idle", 1000)
                .putEvents("ipi:ipi_send_cpu", 1900)
                .putEvents("ipi:ipi_send_cpumask", 100)
                .addIdleStates(IdleStateDelta.newBuilder().setName("POLL").setEntries(300)
                    .setTimeNs(4_000_000))
                .addIdleStates(IdleStateDelta.newBuilder().setName("haltpoll idle")
                    .setEntries(1000).setTimeNs(900_000_000))));
  }

  /** Counters of {@link #VM} with every stat the report reads. */
  static VmCounters.Builder vm(long exits) {
    return VmCounters.newBuilder().setVmIdentity(VM).setVmmPid(42).setSource("qmp")
        .putStats("exits", exits)
        .putStats("halt_exits", exits / 4)
        .putStats("halt_attempted_poll", exits / 5)
        .putStats("halt_successful_poll", exits / 10)
        .putStats("halt_poll_success_ns", exits * 100)
        .putStats("halt_poll_fail_ns", exits * 50)
        .putStats("halt_wait_ns", exits * 1000)
        .putStats("halt_wakeup", exits / 4);
  }

  static HostSample sample(SampleKind kind, long sequence, long monotonicNs,
      VmCounters.Builder... vms) {
    HostSample.Builder sample = HostSample.newBuilder().setHostId(HOST).setRunId(RUN)
        .setKind(kind).setSequence(sequence).setMonotonicNs(monotonicNs)
        .setProbeStartedAt(PROBE_START)
        .setTakenAt(Timestamp.newBuilder().setSeconds(1000 + monotonicNs / 1_000_000_000L));
    for (VmCounters.Builder vm : vms) {
      sample.addVms(vm);
    }
    return sample.build();
  }

  static VmCounters.Builder withMsrs(VmCounters.Builder vm, Map<Integer, Long> writes) {
    writes.forEach((msr, count) -> vm.addMsrWrites(dev.kvmmp.proto.v1.MsrWriteCount.newBuilder()
        .setMsr(msr).setName(msr == 0 ? "ALL" : Integer.toHexString(msr)).setCount(count)));
    return vm;
  }
}

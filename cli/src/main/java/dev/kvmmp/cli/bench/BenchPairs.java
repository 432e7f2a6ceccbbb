package dev.kvmmp.cli.bench;

import dev.kvmmp.proto.v1.Condvar;
import dev.kvmmp.proto.v1.CondvarPrimitive;
import dev.kvmmp.proto.v1.TcpRr;
import dev.kvmmp.proto.v1.TcpRrMode;
import dev.kvmmp.proto.v1.Workload;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The pairs {@code kvmmp bench fidelity} knows, by name, in the order it runs them. */
public final class BenchPairs {

  public static final List<String> NAMES = List.of("tcp_rr", "pipe", "condvar");

  private BenchPairs() {}

  public static Map<String, BenchPair> standard(Executables executables,
      ChildProcesses children) {
    Map<String, BenchPair> pairs = new LinkedHashMap<>();
    pairs.put("tcp_rr", new BenchPair("tcp_rr",
        Workload.newBuilder().setName("tcp_rr")
            .setTcpRr(TcpRr.newBuilder()
                .setRequestBytes(SockperfPeer.MESSAGE_BYTES)
                .setResponseBytes(SockperfPeer.MESSAGE_BYTES)
                .setMode(TcpRrMode.TCP_RR_MODE_THREADS))
            .build(),
        new SockperfPeer(executables, children), Statistic.P50,
        Optional.of("tcp_rr: 14-byte request and response; sockperf --full-rtt percentiles are "
            + "round trips, like kvmmp's.")));
    pairs.put("pipe", new BenchPair("pipe",
        condvar("pipe", CondvarPrimitive.CONDVAR_PRIMITIVE_PIPE),
        new PerfBenchPipePeer(executables, children), Statistic.MEAN,
        Optional.of("pipe: perf bench sched pipe -T reports only usecs/op (one op = a round trip "
            + "through two pipes), so kvmmp's mean is compared. It cannot place its two threads "
            + "apart, so for cross-cpu kvmmp pins them, one to each vCPU, just after it starts.")));
    pairs.put("condvar", new BenchPair("condvar",
        condvar("condvar", CondvarPrimitive.CONDVAR_PRIMITIVE_PARK),
        new PtsematestPeer(executables, children), Statistic.MEAN,
        Optional.of("condvar: ptsematest times one way (mutex unlock to the waiter's lock "
            + "returning, gettimeofday, 1 us resolution) and reports min/avg/max; its avg is "
            + "doubled to compare with kvmmp's round-trip mean. It hands off through a pthread "
            + "mutex, not park/unpark, and runs with -i 0 (back to back). Its -a puts both threads "
            + "on one CPU, so for cross-cpu kvmmp pins them apart just after it starts.")));
    return pairs;
  }

  private static Workload condvar(String name, CondvarPrimitive primitive) {
    return Workload.newBuilder().setName(name)
        .setCondvar(Condvar.newBuilder().setPrimitive(primitive))
        .build();
  }
}

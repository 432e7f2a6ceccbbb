package dev.kvmmp.coordinator;

import com.google.protobuf.util.Durations;
import dev.kvmmp.proto.v1.ExperimentSpec;
import dev.kvmmp.proto.v1.GuestFacts;
import dev.kvmmp.proto.v1.Register;
import dev.kvmmp.proto.v1.TcpRr;
import dev.kvmmp.proto.v1.Workload;

/** Small valid specs and registrations for tests. */
public final class Specs {

  private Specs() {}

  public static ExperimentSpec tcpRr(int repetitions) {
    return ExperimentSpec.newBuilder()
        .setName("test")
        .addWorkloads(Workload.newBuilder().setTcpRr(TcpRr.newBuilder().setRequestBytes(1)))
        .setRepetitions(repetitions)
        .setDuration(Durations.fromMillis(200))
        .setWarmup(Durations.fromMillis(50))
        .build();
  }

  public static Register register(String workerId, int vcpus) {
    return Register.newBuilder()
        .setWorkerId(workerId)
        .setFacts(GuestFacts.newBuilder().setVcpus(vcpus).setKernelRelease("6.18.0"))
        .addWorkloads("tcp_rr")
        .build();
  }
}

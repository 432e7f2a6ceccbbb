package dev.kvmmp.worker.workload;

import dev.kvmmp.worker.workload.tcprr.TcpRrWorkload;
import java.util.List;

/** Every workload this worker implements. */
public final class Workloads {

  private Workloads() {}

  public static List<Workload> all() {
    return List.of(new TcpRrWorkload());
  }
}

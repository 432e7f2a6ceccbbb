package dev.kvmmp.worker.workload;

import dev.kvmmp.worker.workload.condvar.CondvarWorkload;
import dev.kvmmp.worker.workload.memcache.MemcacheWorkload;
import dev.kvmmp.worker.workload.tcprr.TcpRrWorkload;
import dev.kvmmp.worker.workload.wakeup.WakeupWorkload;
import java.util.List;

/** Every workload this worker implements. */
public final class Workloads {

  private Workloads() {}

  public static List<Workload> all() {
    return List.of(new TcpRrWorkload(), new MemcacheWorkload(), new CondvarWorkload(),
        new WakeupWorkload());
  }
}

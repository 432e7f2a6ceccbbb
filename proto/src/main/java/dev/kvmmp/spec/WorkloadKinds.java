package dev.kvmmp.spec;

import dev.kvmmp.proto.v1.Workload;
import java.util.Locale;

/** The name of a workload's kind as workers advertise it ("tcp_rr", "memcache", ...). */
public final class WorkloadKinds {

  private WorkloadKinds() {}

  public static String of(Workload workload) {
    return workload.getKindCase().name().toLowerCase(Locale.ROOT);
  }
}

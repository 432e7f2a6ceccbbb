package dev.kvmmp.cli.bench;

import dev.kvmmp.proto.v1.Placement;
import java.util.List;

/** Where both sides of a fidelity trial run: together on vCPU 0, or on vCPUs 0 and 1. */
public enum BenchPlacement {
  SAME_CPU("same-cpu", Placement.PLACEMENT_SAME_CPU, 0, 0),
  CROSS_CPU("cross-cpu", Placement.PLACEMENT_CROSS_CPU, 0, 1);

  private final String label;
  private final Placement proto;
  private final int clientCpu;
  private final int serverCpu;

  BenchPlacement(String label, Placement proto, int clientCpu, int serverCpu) {
    this.label = label;
    this.proto = proto;
    this.clientCpu = clientCpu;
    this.serverCpu = serverCpu;
  }

  public String label() {
    return label;
  }

  public Placement proto() {
    return proto;
  }

  public int clientCpu() {
    return clientCpu;
  }

  public int serverCpu() {
    return serverCpu;
  }

  /** The vCPUs as a workload's {@code cpus} lists them: one for same-cpu, client then server. */
  public List<Integer> cpus() {
    return clientCpu == serverCpu ? List.of(clientCpu) : List.of(clientCpu, serverCpu);
  }

  /** The vCPUs as {@code taskset -c} takes them: "0" or "0,1". */
  public String cpuList() {
    return clientCpu == serverCpu ? Integer.toString(clientCpu) : clientCpu + "," + serverCpu;
  }
}

package dev.kvmmp.worker.placement;

import dev.kvmmp.proto.v1.Placement;
import dev.kvmmp.proto.v1.PlacementCheck;
import dev.kvmmp.proto.v1.Workload;
import dev.kvmmp.worker.facts.CpuList;
import dev.kvmmp.worker.workload.WorkloadException;
import java.util.List;
import java.util.OptionalInt;

/**
 * Where the two sides of a workload run: the client (the side that times round trips) and the
 * server (the side that answers), each on a vCPU or left to the scheduler.
 */
public record PlacementPlan(Placement placement, OptionalInt clientCpu, OptionalInt serverCpu) {

  public static final PlacementPlan UNPINNED = new PlacementPlan(Placement.PLACEMENT_UNPINNED,
      OptionalInt.empty(), OptionalInt.empty());

  /**
   * The plan for a workload on a guest with these online vCPUs.
   *
   * @throws WorkloadException when the guest cannot satisfy the placement, saying why
   */
  public static PlacementPlan of(Workload workload, CpuList online) throws WorkloadException {
    List<Integer> asked = workload.getCpusList();
    return switch (workload.getPlacement()) {
      case PLACEMENT_SAME_CPU -> {
        int cpu = asked.isEmpty() ? 0 : asked.get(0);
        requireOnline(cpu, online);
        yield new PlacementPlan(Placement.PLACEMENT_SAME_CPU, OptionalInt.of(cpu),
            OptionalInt.of(cpu));
      }
      case PLACEMENT_CROSS_CPU -> {
        if (online.count() < 2) {
          throw new WorkloadException("cross-cpu needs 2 online vCPUs, this guest has "
              + online.count());
        }
        int client = asked.isEmpty() ? 0 : asked.get(0);
        int server = asked.isEmpty() ? 1 : asked.get(1);
        requireOnline(client, online);
        requireOnline(server, online);
        yield new PlacementPlan(Placement.PLACEMENT_CROSS_CPU, OptionalInt.of(client),
            OptionalInt.of(server));
      }
      default -> UNPINNED;
    };
  }

  /** Pins the calling thread as this plan's client; {@link PinnedThread#NONE} when unpinned. */
  public PinnedThread pinClient() {
    return pin(clientCpu);
  }

  /** Pins the calling thread as this plan's server; {@link PinnedThread#NONE} when unpinned. */
  public PinnedThread pinServer() {
    return pin(serverCpu);
  }

  private static PinnedThread pin(OptionalInt cpu) {
    return cpu.isPresent() ? PinnedThread.pinCurrentThread(cpu.getAsInt()) : PinnedThread.NONE;
  }

  /** The vCPUs the plan uses, for per-vCPU counters; empty when unpinned. */
  public List<Integer> cpus() {
    if (clientCpu.isEmpty()) {
      return List.of();
    }
    int c = clientCpu.getAsInt();
    int s = serverCpu.getAsInt();
    return c == s ? List.of(c) : List.of(c, s);
  }

  /**
   * The check to report: whether each pinned side was still confined to its vCPU at the end of
   * the window.
   */
  public PlacementCheck check(boolean clientStillPinned, boolean serverStillPinned) {
    PlacementCheck.Builder check = PlacementCheck.newBuilder().setPlacement(placement);
    if (clientCpu.isEmpty()) {
      return check.setVerified(true).setDetail("unpinned: left to the guest scheduler").build();
    }
    check.setClientCpu(clientCpu.getAsInt()).setServerCpu(serverCpu.getAsInt())
        .setVerified(clientStillPinned && serverStillPinned);
    if (check.getVerified()) {
      check.setDetail("client on vCPU " + clientCpu.getAsInt() + ", server on vCPU "
          + serverCpu.getAsInt() + ", confined there from start to end of the window");
    } else {
      check.setDetail((clientStillPinned ? "" : "client left vCPU " + clientCpu.getAsInt() + " ")
          + (serverStillPinned ? "" : "server left vCPU " + serverCpu.getAsInt())
          + " during the window (a cpuset change or CPU hotplug?)");
    }
    return check.build();
  }

  private static void requireOnline(int cpu, CpuList online) throws WorkloadException {
    if (!online.contains(cpu)) {
      throw new WorkloadException("cpus: vCPU " + cpu + " is not online (online: " + online
          + ")");
    }
  }
}

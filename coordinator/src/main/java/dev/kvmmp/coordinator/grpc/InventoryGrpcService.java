package dev.kvmmp.coordinator.grpc;

import dev.kvmmp.coordinator.Coordinator;
import dev.kvmmp.proto.v1.InventoryServiceGrpc;
import dev.kvmmp.proto.v1.ListHostsRequest;
import dev.kvmmp.proto.v1.ListHostsResponse;
import dev.kvmmp.proto.v1.ListWorkersRequest;
import dev.kvmmp.proto.v1.ListWorkersResponse;
import io.grpc.stub.StreamObserver;

/** Who is connected: workers from the coordinator, hosts from the probe streams. */
public final class InventoryGrpcService extends InventoryServiceGrpc.InventoryServiceImplBase {

  private final Coordinator coordinator;
  private final ProbeGrpcService probes;

  public InventoryGrpcService(Coordinator coordinator, ProbeGrpcService probes) {
    this.coordinator = coordinator;
    this.probes = probes;
  }

  @Override
  public void listWorkers(ListWorkersRequest request,
      StreamObserver<ListWorkersResponse> response) {
    Unary.answer(response, () -> ListWorkersResponse.newBuilder()
        .addAllWorkers(coordinator.workers())
        .build());
  }

  @Override
  public void listHosts(ListHostsRequest request, StreamObserver<ListHostsResponse> response) {
    Unary.answer(response, () -> ListHostsResponse.newBuilder()
        .addAllHosts(probes.hosts())
        .build());
  }
}

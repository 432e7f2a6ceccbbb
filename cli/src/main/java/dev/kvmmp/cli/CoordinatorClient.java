package dev.kvmmp.cli;

import dev.kvmmp.proto.v1.CancelRequest;
import dev.kvmmp.proto.v1.Experiment;
import dev.kvmmp.proto.v1.ExperimentServiceGrpc;
import dev.kvmmp.proto.v1.ExperimentSpec;
import dev.kvmmp.proto.v1.GetExperimentRequest;
import dev.kvmmp.proto.v1.GetExperimentResponse;
import dev.kvmmp.proto.v1.InventoryServiceGrpc;
import dev.kvmmp.proto.v1.ListExperimentsRequest;
import dev.kvmmp.proto.v1.ListWorkersRequest;
import dev.kvmmp.proto.v1.SubmitRequest;
import dev.kvmmp.proto.v1.WatchEvent;
import dev.kvmmp.proto.v1.WatchRequest;
import dev.kvmmp.proto.v1.WorkerInfo;
import io.grpc.Channel;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The calls the CLI makes, each unary one with a deadline. */
public final class CoordinatorClient {

  private static final Duration CALL_DEADLINE = Duration.ofSeconds(30);

  private final Channel channel;

  public CoordinatorClient(Channel channel) {
    this.channel = channel;
  }

  public Experiment submit(ExperimentSpec spec) {
    return experiments().submit(SubmitRequest.newBuilder().setSpec(spec).build());
  }

  public GetExperimentResponse get(String id) {
    return experiments().get(GetExperimentRequest.newBuilder().setId(id).build());
  }

  public List<Experiment> list(int limit) {
    return experiments().list(ListExperimentsRequest.newBuilder().setLimit(limit).build())
        .getExperimentsList();
  }

  public Experiment cancel(String id, String reason) {
    return experiments().cancel(CancelRequest.newBuilder().setId(id).setReason(reason).build());
  }

  public List<WorkerInfo> workers() {
    return InventoryServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS)
        .listWorkers(ListWorkersRequest.getDefaultInstance())
        .getWorkersList();
  }

  /** Follows an experiment until it finishes; no deadline, since runs may take hours. */
  public Iterator<WatchEvent> watch(String id) {
    return ExperimentServiceGrpc.newBlockingStub(channel)
        .watch(WatchRequest.newBuilder().setExperimentId(id).build());
  }

  private ExperimentServiceGrpc.ExperimentServiceBlockingStub experiments() {
    return ExperimentServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(CALL_DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
  }
}

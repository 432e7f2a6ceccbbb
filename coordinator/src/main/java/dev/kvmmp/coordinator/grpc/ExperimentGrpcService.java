package dev.kvmmp.coordinator.grpc;

import dev.kvmmp.coordinator.Coordinator;
import dev.kvmmp.coordinator.experiments.ExperimentListener;
import dev.kvmmp.proto.v1.CancelRequest;
import dev.kvmmp.proto.v1.Experiment;
import dev.kvmmp.proto.v1.ExperimentServiceGrpc;
import dev.kvmmp.proto.v1.GetExperimentRequest;
import dev.kvmmp.proto.v1.GetExperimentResponse;
import dev.kvmmp.proto.v1.ListExperimentsRequest;
import dev.kvmmp.proto.v1.ListExperimentsResponse;
import dev.kvmmp.proto.v1.RunEvent;
import dev.kvmmp.proto.v1.RunProgress;
import dev.kvmmp.proto.v1.SubmitRequest;
import dev.kvmmp.proto.v1.WatchEvent;
import dev.kvmmp.proto.v1.WatchRequest;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

/** The user-facing API, over {@link Coordinator}. Status errors pass through unchanged. */
public final class ExperimentGrpcService extends ExperimentServiceGrpc.ExperimentServiceImplBase {

  private static final int DEFAULT_LIST_LIMIT = 100;

  private final Coordinator coordinator;

  public ExperimentGrpcService(Coordinator coordinator) {
    this.coordinator = coordinator;
  }

  @Override
  public void submit(SubmitRequest request, StreamObserver<Experiment> response) {
    Unary.answer(response, () -> coordinator.submit(request.getSpec()));
  }

  @Override
  public void get(GetExperimentRequest request, StreamObserver<GetExperimentResponse> response) {
    Unary.answer(response, () -> coordinator.get(request.getId()));
  }

  @Override
  public void list(ListExperimentsRequest request,
      StreamObserver<ListExperimentsResponse> response) {
    int limit = request.getLimit() == 0 ? DEFAULT_LIST_LIMIT : request.getLimit();
    Unary.answer(response, () -> ListExperimentsResponse.newBuilder()
        .addAllExperiments(coordinator.list(limit))
        .build());
  }

  @Override
  public void cancel(CancelRequest request, StreamObserver<Experiment> response) {
    Unary.answer(response, () -> coordinator.cancel(request.getId(), request.getReason()));
  }

  @Override
  public void watch(WatchRequest request, StreamObserver<WatchEvent> response) {
    ServerCallStreamObserver<WatchEvent> events = (ServerCallStreamObserver<WatchEvent>) response;
    ExperimentListener listener = new StreamingListener(events);
    events.setOnCancelHandler(() -> coordinator.unwatch(request.getExperimentId(), listener));
    try {
      coordinator.watch(request.getExperimentId(), listener);
    } catch (RuntimeException e) {
      events.onError(e);
    }
  }

  /** Forwards one experiment's changes to one watcher's stream. */
  private static final class StreamingListener implements ExperimentListener {

    private final ServerCallStreamObserver<WatchEvent> events;

    StreamingListener(ServerCallStreamObserver<WatchEvent> events) {
      this.events = events;
    }

    @Override
    public void onRun(RunEvent event) {
      send(WatchEvent.newBuilder().setRun(event).build());
    }

    @Override
    public void onProgress(RunProgress progress) {
      send(WatchEvent.newBuilder().setProgress(progress).build());
    }

    @Override
    public void onExperiment(Experiment experiment) {
      send(WatchEvent.newBuilder().setExperiment(experiment).build());
    }

    @Override
    public void onFinished(Experiment experiment) {
      if (!events.isCancelled()) {
        send(WatchEvent.newBuilder().setExperiment(experiment).build());
        events.onCompleted();
      }
    }

    private void send(WatchEvent event) {
      if (!events.isCancelled()) {
        events.onNext(event);
      }
    }
  }
}

package dev.kvmmp.coordinator.grpc;

import dev.kvmmp.coordinator.Coordinator;
import dev.kvmmp.coordinator.workers.ConnectedWorker;
import dev.kvmmp.proto.v1.CoordinatorToWorker;
import dev.kvmmp.proto.v1.WorkerMessage;
import dev.kvmmp.proto.v1.WorkerServiceGrpc;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;

/** One stream per worker: registration first, then heartbeats, progress and results. */
public final class WorkerGrpcService extends WorkerServiceGrpc.WorkerServiceImplBase {

  private final Coordinator coordinator;

  public WorkerGrpcService(Coordinator coordinator) {
    this.coordinator = coordinator;
  }

  @Override
  public StreamObserver<WorkerMessage> connect(StreamObserver<CoordinatorToWorker> response) {
    return new WorkerStream(response);
  }

  private final class WorkerStream implements StreamObserver<WorkerMessage> {

    private final StreamObserver<CoordinatorToWorker> response;
    private ConnectedWorker worker;
    private boolean closed;

    WorkerStream(StreamObserver<CoordinatorToWorker> response) {
      this.response = response;
    }

    @Override
    public void onNext(WorkerMessage message) {
      if (closed) {
        return;
      }
      if (worker == null) {
        register(message);
        return;
      }
      switch (message.getMessageCase()) {
        case HEARTBEAT -> coordinator.heartbeat(worker);
        case PROGRESS -> coordinator.progress(worker, message.getProgress());
        case COMPLETED -> coordinator.completed(worker, message.getCompleted());
        case FAILED -> coordinator.failed(worker, message.getFailed());
        case WINDOW_EDGE -> coordinator.windowEdge(worker, message.getWindowEdge());
        default -> reject(Status.INVALID_ARGUMENT.withDescription(
            "worker '" + worker.id() + "' sent " + message.getMessageCase()
                + " after registering; only heartbeat, progress, completed, failed and window_edge may follow"));
      }
    }

    private void register(WorkerMessage message) {
      if (!message.hasRegister()) {
        reject(Status.FAILED_PRECONDITION.withDescription(
            "the first message of a worker stream must be register, not "
                + message.getMessageCase()));
        return;
      }
      try {
        worker = coordinator.register(message.getRegister(), response);
      } catch (StatusRuntimeException e) {
        closed = true;
        response.onError(e);
      }
    }

    private void reject(Status status) {
      if (worker != null) {
        coordinator.disconnected(worker, status.getDescription());
      }
      closed = true;
      response.onError(status.asRuntimeException());
    }

    @Override
    public void onError(Throwable t) {
      if (worker != null) {
        coordinator.disconnected(worker, "stream broke (" + Status.fromThrowable(t) + ")");
      }
    }

    @Override
    public void onCompleted() {
      if (worker != null) {
        coordinator.disconnected(worker, "worker closed its stream");
      }
      if (!closed) {
        response.onCompleted();
      }
    }
  }
}

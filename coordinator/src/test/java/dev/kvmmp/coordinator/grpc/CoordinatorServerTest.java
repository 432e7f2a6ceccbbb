package dev.kvmmp.coordinator.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kvmmp.coordinator.Coordinator;
import dev.kvmmp.coordinator.CoordinatorServer;
import dev.kvmmp.coordinator.Specs;
import dev.kvmmp.coordinator.TestClock;
import dev.kvmmp.proto.v1.CoordinatorToWorker;
import dev.kvmmp.proto.v1.ExperimentServiceGrpc;
import dev.kvmmp.proto.v1.Heartbeat;
import dev.kvmmp.proto.v1.RunFailed;
import dev.kvmmp.proto.v1.SubmitRequest;
import dev.kvmmp.proto.v1.WatchEvent;
import dev.kvmmp.proto.v1.WatchRequest;
import dev.kvmmp.proto.v1.WorkerMessage;
import dev.kvmmp.proto.v1.WorkerServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CoordinatorServerTest {

  private CoordinatorServer server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    String name = InProcessServerBuilder.generateName();
    TestClock clock = new TestClock();
    server = new CoordinatorServer(InProcessServerBuilder.forName(name).directExecutor(),
        new Coordinator(clock, Duration.ofSeconds(1), () -> "e-1"), clock).start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow();
    server.close();
  }

  @Test
  void servesHealth() {
    var response = HealthGrpc.newBlockingStub(channel)
        .check(HealthCheckRequest.getDefaultInstance());

    assertThat(response.getStatus()).isEqualTo(ServingStatus.SERVING);
  }

  @Test
  void servesReflectionListingEveryKvmmpService() throws Exception {
    BlockingQueue<ServerReflectionResponse> answers = new LinkedBlockingQueue<>();
    StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
        .serverReflectionInfo(collectInto(answers));
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
    requests.onCompleted();

    ServerReflectionResponse answer = answers.poll(5, TimeUnit.SECONDS);
    assertThat(answer.getListServicesResponse().getServiceList())
        .extracting(ServiceResponse::getName)
        .contains("kvmmp.v1.ExperimentService", "kvmmp.v1.WorkerService",
            "kvmmp.v1.ProbeService", "kvmmp.v1.InventoryService", "grpc.health.v1.Health");
  }

  @Test
  void refusesAWorkerStreamThatDoesNotStartWithRegister() throws Exception {
    BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
    StreamObserver<WorkerMessage> requests = WorkerServiceGrpc.newStub(channel)
        .connect(new StreamObserver<>() {
          @Override
          public void onNext(CoordinatorToWorker value) {}

          @Override
          public void onError(Throwable t) {
            errors.add(t);
          }

          @Override
          public void onCompleted() {}
        });
    requests.onNext(WorkerMessage.newBuilder().setHeartbeat(Heartbeat.getDefaultInstance())
        .build());

    Status status = Status.fromThrowable(errors.poll(5, TimeUnit.SECONDS));
    assertThat(status.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(status.getDescription())
        .isEqualTo("the first message of a worker stream must be register, not HEARTBEAT");
  }

  @Test
  void submitOfAnInvalidSpecIsInvalidArgumentWithTheFieldPath() {
    var stub = ExperimentServiceGrpc.newBlockingStub(channel);
    var spec = Specs.tcpRr(1).toBuilder().clearDuration().build();

    assertThatThrownBy(() -> stub.submit(SubmitRequest.newBuilder().setSpec(spec).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
          assertThat(e.getStatus().getDescription()).isEqualTo("duration: missing (required)");
        });
  }

  @Test
  void watchStreamsRunChangesAndEndsWhenTheExperimentFinishes() throws Exception {
    BlockingQueue<CoordinatorToWorker> toWorker = new LinkedBlockingQueue<>();
    StreamObserver<WorkerMessage> worker = WorkerServiceGrpc.newStub(channel)
        .connect(collectInto(toWorker));
    worker.onNext(WorkerMessage.newBuilder().setRegister(Specs.register("w1", 2)).build());
    assertThat(toWorker.poll(5, TimeUnit.SECONDS).hasRegistered()).isTrue();
    var experiments = ExperimentServiceGrpc.newBlockingStub(channel);
    var experiment = experiments.submit(SubmitRequest.newBuilder().setSpec(Specs.tcpRr(1))
        .build());
    Iterator<WatchEvent> watch = experiments.watch(WatchRequest.newBuilder()
        .setExperimentId(experiment.getId()).build());
    String runId = toWorker.poll(5, TimeUnit.SECONDS).getAssign().getRun().getId();

    worker.onNext(WorkerMessage.newBuilder().setFailed(RunFailed.newBuilder()
        .setRunId(runId).setReason("boom")).build());

    List<WatchEvent> events = new ArrayList<>();
    watch.forEachRemaining(events::add);
    assertThat(events).filteredOn(WatchEvent::hasRun)
        .extracting(e -> e.getRun().getRun().getReason())
        .contains("worker 'w1': boom");
    assertThat(events.get(events.size() - 1).getExperiment().getState().name())
        .isEqualTo("EXPERIMENT_STATE_FAILED");
    worker.onCompleted();
  }

  private static <T> StreamObserver<T> collectInto(BlockingQueue<T> queue) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {
        queue.add(value);
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {}
    };
  }
}

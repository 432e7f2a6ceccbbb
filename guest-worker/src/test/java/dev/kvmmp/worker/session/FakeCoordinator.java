package dev.kvmmp.worker.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.google.protobuf.util.Durations;
import dev.kvmmp.proto.v1.CoordinatorToWorker;
import dev.kvmmp.proto.v1.Register;
import dev.kvmmp.proto.v1.Registered;
import dev.kvmmp.proto.v1.WorkerMessage;
import dev.kvmmp.proto.v1.WorkerMessage.MessageCase;
import dev.kvmmp.proto.v1.WorkerServiceGrpc;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Plays the coordinator for a worker under test: answers every Register with Registered (a
 * heartbeat every 100 ms, so progress comes quickly) and hands each stream to the test, which
 * reads what the worker sent, answers, or breaks the stream.
 */
final class FakeCoordinator extends WorkerServiceGrpc.WorkerServiceImplBase {

  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final BlockingQueue<WorkerStream> streams = new LinkedBlockingQueue<>();

  @Override
  public StreamObserver<WorkerMessage> connect(StreamObserver<CoordinatorToWorker> out) {
    WorkerStream stream = new WorkerStream(out);
    streams.add(stream);
    return stream;
  }

  /** The worker's next stream, as soon as it connects. */
  WorkerStream nextStream() throws InterruptedException {
    WorkerStream stream = streams.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    if (stream == null) {
      fail("the worker did not connect within " + TIMEOUT.toSeconds() + " s");
    }
    return stream;
  }

  /** One stream from the worker: what it sent, in order, and the way back. */
  static final class WorkerStream implements StreamObserver<WorkerMessage> {

    private final StreamObserver<CoordinatorToWorker> out;
    private final BlockingQueue<WorkerMessage> received = new LinkedBlockingQueue<>();

    WorkerStream(StreamObserver<CoordinatorToWorker> out) {
      this.out = out;
    }

    @Override
    public void onNext(WorkerMessage message) {
      // Registered goes out before the test sees the Register: what the test sends next must
      // follow it on the stream, as it does from the real coordinator.
      if (message.hasRegister()) {
        send(CoordinatorToWorker.newBuilder().setRegistered(Registered.newBuilder()
            .setWorkerId(message.getRegister().getWorkerId())
            .setHeartbeatInterval(Durations.fromMillis(100))).build());
      }
      received.add(message);
    }

    @Override
    public void onError(Throwable t) {}

    @Override
    public void onCompleted() {}

    synchronized void send(CoordinatorToWorker message) {
      out.onNext(message);
    }

    /** Ends the stream as a crashed coordinator or a cut network would. */
    synchronized void breakIt() {
      out.onError(Status.UNAVAILABLE.withDescription("broken by the test").asRuntimeException());
    }

    Register register() throws InterruptedException {
      return next(MessageCase.REGISTER).getRegister();
    }

    /**
     * The next message of {@code kind}, skipping heartbeats and progress (the ticker's noise);
     * fails on any other message in between.
     */
    WorkerMessage next(MessageCase kind) throws InterruptedException {
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (true) {
        WorkerMessage message = received.poll(deadline - System.nanoTime(),
            TimeUnit.NANOSECONDS);
        if (message == null) {
          return fail("no " + kind + " from the worker within " + TIMEOUT.toSeconds() + " s");
        }
        if (message.getMessageCase() == kind) {
          return message;
        }
        assertThat(message.getMessageCase()).as("sent before the %s awaited", kind)
            .isIn(MessageCase.HEARTBEAT, MessageCase.PROGRESS);
      }
    }

    /** Everything but heartbeats and progress sent over {@code quiet}. */
    List<WorkerMessage> others(Duration quiet) throws InterruptedException {
      List<WorkerMessage> others = new ArrayList<>();
      long deadline = System.nanoTime() + quiet.toNanos();
      for (long left = quiet.toNanos(); left > 0; left = deadline - System.nanoTime()) {
        WorkerMessage message = received.poll(left, TimeUnit.NANOSECONDS);
        if (message != null && !message.hasHeartbeat() && !message.hasProgress()) {
          others.add(message);
        }
      }
      return others;
    }
  }
}

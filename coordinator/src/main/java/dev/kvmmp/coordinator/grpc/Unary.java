package dev.kvmmp.coordinator.grpc;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answers a unary call: the value, or the Status the coordinator threw, or INTERNAL. */
final class Unary {

  private static final Logger log = LoggerFactory.getLogger(Unary.class);

  private Unary() {}

  static <T> void answer(StreamObserver<T> response, Supplier<T> call) {
    T value;
    try {
      value = call.get();
    } catch (StatusRuntimeException e) {
      response.onError(e);
      return;
    } catch (RuntimeException e) {
      log.error("internal error", e);
      response.onError(Status.INTERNAL.withDescription(e.toString()).asRuntimeException());
      return;
    }
    response.onNext(value);
    response.onCompleted();
  }
}

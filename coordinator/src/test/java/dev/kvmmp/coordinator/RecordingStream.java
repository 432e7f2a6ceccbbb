package dev.kvmmp.coordinator;

import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;

/** A stream that keeps what was sent to it. */
public final class RecordingStream<T> implements StreamObserver<T> {

  public final List<T> messages = new ArrayList<>();
  public Throwable error;
  public boolean completed;

  @Override
  public void onNext(T value) {
    messages.add(value);
  }

  @Override
  public void onError(Throwable t) {
    error = t;
  }

  @Override
  public void onCompleted() {
    completed = true;
  }
}
